//! render_html
