"""Looking at an image at load time: its format, its size, and proof that it decodes."""

from __future__ import annotations

import hashlib
import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from PIL import Image, UnidentifiedImageError

from generator.core import mime
from generator.core.errors import Message
from generator.media.formats import FORMATS, MAX_PIXELS, MediaError
from generator.media.store import MediaStore

ORIENTATION = 0x0112
T = TypeVar("T")


@dataclass(frozen=True)
class ImageInfo:
    format: str
    width: int  # as shown, after the EXIF orientation
    height: int
    orientation: int


def inspect_image(path: Path, cache: Path | None = None) -> ImageInfo:
    """Format and size of an image, and proof that it decodes; raises MediaError.

    Cheap enough for `check`: the header is read, a JPEG is decoded at 1/8
    scale (which still reads every byte, so truncation shows), a PNG's chunks
    are verified without decoding. An image whose exact bytes a build already
    encoded (a mark in the media `cache`) needs only its header read.
    """
    return guarded(lambda: _inspect(path, MediaStore(cache)))


def _inspect(path: Path, store: MediaStore) -> ImageInfo:
    with Image.open(path) as image:
        info = header(image)
    _named_as(path.name, info.format)
    if store.decoded(hashlib.sha256(path.read_bytes()).hexdigest()):
        return info
    with Image.open(path) as image:  # anew: PNG's verify() must come first after opening
        if info.format == "JPEG":
            image.draft(None, (max(1, image.width // 8), max(1, image.height // 8)))
            image.load()
        elif info.format == "PNG":
            image.verify()
        else:
            image.load()
    return info


def _named_as(name: str, kind: str) -> None:
    """A file's name must say what its bytes are: a renamed file is a mistake, and the one
    rule for images and attachments alike (`generator.media.documents`)."""
    names = FORMATS[kind].names
    found = mime.extension(name)
    if found not in names:
        if found:
            raise MediaError(Message('the file is a %(kind)s image, but its name ends in "%(found)s"; rename the file '
                                     'to end in "%(wanted)s" and change its src to match', kind=kind, found=found,
                                     wanted=names[0]))
        raise MediaError(Message('the file is a %(kind)s image, but its name has no extension; rename the file to '
                                 'end in "%(wanted)s" and change its src to match', kind=kind, wanted=names[0]))


def header(image: Image.Image) -> ImageInfo:
    # Many cameras and phones add a preview picture (MPF); Pillow then calls the JPEG "MPO".
    kind = "JPEG" if image.format == "MPO" else image.format or "unknown"
    if kind not in FORMATS:
        raise MediaError(Message("%(kind)s images cannot be published; save the picture as JPEG (photos) "
                                 "or PNG (graphics)", kind=kind))
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise too_large()
    orientation = image.getexif().get(ORIENTATION, 1)
    if not isinstance(orientation, int) or not 1 <= orientation <= 8:
        orientation = 1
    if orientation >= 5:  # 5–8 turn the picture by 90°
        width, height = height, width
    return ImageInfo(kind, width, height, orientation)


def open_header(data: bytes) -> ImageInfo:
    with Image.open(io.BytesIO(data)) as image:
        return header(image)


def too_large() -> MediaError:
    return MediaError(Message("the image has more than %(megapixels)s megapixels, which Pillow refuses "
                              "as a possible decompression bomb; scale it down (6000 pixels on the long side "
                              "are plenty)", megapixels=MAX_PIXELS // 1_000_000))


def guarded(work: Callable[[], T], threaded: bool = False) -> T:
    """Run `work` on an image and turn every way a bad file fails into a MediaError.

    Pillow's bomb warning becomes an error, except in worker threads: the warnings
    filters are process-wide, and images reach the workers only after they passed
    `inspect_image` at load time (our own size check in `header` still holds there).
    """
    try:
        if threaded:
            return work()
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return work()
    except MediaError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_large() from None
    except UnidentifiedImageError:
        raise MediaError(Message("the file is not an image Pressroom can read (JPEG, PNG or WebP); if it is a "
                                 "photo in another format (HEIC, RAW …), export it as JPEG")) from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError) as exc:
        raise MediaError(Message("the image is damaged or incomplete (%(problem)s); export or copy it again",
                                 problem=str(exc))) from None
