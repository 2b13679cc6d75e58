FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 GRADIO_ANALYTICS_ENABLED=False HF_HUB_OFFLINE=1 \
    NEXTADS_HOST=0.0.0.0 NEXTADS_PORT=7860 NEXTADS_DATA_DIR=/data
RUN apt-get update && apt-get install -y --no-install-recommends espeak-ng && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu \
 && pip install --no-cache-dir -e . \
 && pip install --no-cache-dir --no-deps rapidocr-onnxruntime==1.4.4
VOLUME /data
EXPOSE 7860
# Listening beyond loopback requires sign-in: create the first admin with
#   docker exec -it <container> nextads users add --role admin
CMD ["python", "app.py"]
