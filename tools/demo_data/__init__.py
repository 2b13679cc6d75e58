"""Generators of the shipped demo data (the demo audience and the product library). Deterministic, so the
shipped files can be regenerated and checked; the studio itself never imports these.

    python -m tools.demo_data.draw_products [OUT_DIR]   # product_library/
    python -m tools.demo_data.demo_notes [OUT_DIR]      # assets/audience/notes
    python -m tools.demo_data.demo_videos [OUT_DIR]     # assets/audience/videos
"""
