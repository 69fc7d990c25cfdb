"""The images of a release as its page shows them: the published variants as srcset and sizes;
and the authorities' logos, in each size the theme shows them in."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from generator.core import urls
from generator.render.views.shapes import ImageView, LogoView

if TYPE_CHECKING:
    from generator.core.models import Authority, Image, Release
    from generator.media.publish import ImageSet, LogoSize, MediaIndex, Variant

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


def logo_views(media: MediaIndex, authorities: Sequence[Authority],
               url: Callable[[str], str]) -> dict[str, dict[str, LogoView]]:
    """Each authority's logo by slot ("header", "list"), from what media published."""
    views: dict[str, dict[str, LogoView]] = {}
    for authority in authorities:
        logo = media.logos.get(authority.id)
        if logo is not None and authority.logo is not None:
            alt = authority.logo.alt
            views[authority.id] = {slot: _logo_view(size, alt, url) for slot, size in logo.sizes.items()}
    return views


def _logo_view(size: LogoSize, alt: str, url: Callable[[str], str]) -> LogoView:
    def srcset(variants: tuple[Variant, ...]) -> str:
        # The density each file has at the size shown: 2x, or less for a source too small for 2x.
        return ", ".join(f"{url(urls.encoded(v.path))} {round(v.width / size.width, 2):g}x" for v in variants)

    return LogoView(url=url(urls.encoded(size.own[0].path)), srcset=srcset(size.own),
                    webp_srcset=srcset(size.webp) if size.webp else None, width=size.width, height=size.height,
                    alt=alt)
