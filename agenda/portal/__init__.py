"""The portal: the public face (front page, composed pages, downloads), errors and headers."""
