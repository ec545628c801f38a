"""Writing site/: every URL (urls), the link check over rendered files (linkcheck),
static files and the atomic write (write). Shared by every renderer."""
