"""The HTML site: views (what a page shows), markdown (article bodies), render (Jinja2)."""
