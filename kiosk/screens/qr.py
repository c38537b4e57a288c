"""A QR code as a Kivy texture, for showing the receipt's code on screen."""

from __future__ import annotations

import io

import qrcode
from kivy.core.image import Image as CoreImage
from kivy.graphics.texture import Texture


def qr_texture(payload: str) -> Texture:
    image = qrcode.make(payload, box_size=10, border=2).get_image()
    out = io.BytesIO()
    image.save(out, format="PNG")
    out.seek(0)
    texture = CoreImage(out, ext="png").texture
    texture.mag_filter = "nearest"  # crisp modules when scaled up
    return texture
