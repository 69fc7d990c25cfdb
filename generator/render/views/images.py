"""The images of a release as its page shows them: the published variants as srcset and sizes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from generator.core import urls
from generator.render.views.shapes import ImageView

if TYPE_CHECKING:
    from generator.core.models import Image, Release
    from generator.media.publish import ImageSet, MediaIndex, Variant

# The article column is 48rem wide at most (.wrap: 50rem with 1rem padding on each side).
IMAGE_SIZES = "(min-width: 50rem) 48rem, calc(100vw - 2rem)"


def image_views(media: MediaIndex, releases: Sequence[Release],
                url: Callable[[str], str]) -> dict[str, tuple[ImageView, ...]]:
    """The images of each release as its page shows them, from what media published."""
    views = {}
    for release in releases:
        sets = media.variants_for(release.id)
        if sets:
            views[release.id] = tuple(_image_view(image, s, url) for image, s in zip(release.images, sets,
                                                                                         strict=True))
    return views


def _image_view(image: Image, images: ImageSet, url: Callable[[str], str]) -> ImageView:
    def srcset(variants: tuple[Variant, ...]) -> str:
        return ", ".join(f"{url(urls.encoded(v.path))} {v.width}w" for v in variants)

    webp = images.webp
    return ImageView(
        url=url(urls.encoded(images.fallback.path)), alt=image.alt, caption=image.caption, credit=image.credit,
        width=images.width, height=images.height, srcset=srcset(images.own),
        webp_srcset=srcset(webp) if webp else None, sizes=IMAGE_SIZES)
