"""The "Rückfragen bitte an" block: one contact, of an authority or of a release."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from generator.content.fields import Fields, Invalid
from generator.content.yaml_source import Key
from generator.core.errors import Message
from generator.core.models import Contact
from generator.core.phone import phone_problem

CONTACT_KEYS = ("name", "phone", "email", "url")
EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")
WEB_URL = re.compile(r"^(https?://[^\s<>\"']+|www\.[^\s<>\"']+)$")
# Characters that turn a mailto: link into more than one address: "?" starts headers (?bcc=… would
# copy every citizen's tip elsewhere), "," and ";" separate recipients, "%" hides either of them.
_MAILTO_SPECIAL = re.compile(r"[?,;%&=#]")
_NOT_IN_ADDRESS = re.compile(r"[^\w.+@-]")


def email_problem(email: str) -> str | None:
    """Why `email` is not one plain e-mail address that a mailto: link may carry, or None."""
    special = _MAILTO_SPECIAL.search(email)
    if special is not None:
        return (f'"{email}" is not one e-mail address: "{special[0]}" could add recipients or mail headers to '
                "the mailto: link; write a single address like presse@polizei.example.org")
    other = _NOT_IN_ADDRESS.search(email)
    if other is not None:
        return (f'"{email}" is not an e-mail address: "{other[0]}" is not allowed in one; use letters, digits, '
                '".", "_", "+" and "-" around one "@"')
    if not EMAIL.match(email):
        return Message('"%(email)s" is not an e-mail address', email=email)
    return None


def read_contact(fields: Fields, value: Any, keys: tuple[Key, ...]) -> Contact:
    try:
        data = fields.mapping(value, keys, CONTACT_KEYS, "contact")
    except Invalid:
        return Contact()
    email = fields.text(data, "email", keys)
    problem = email_problem(email) if email else None
    if problem is not None:
        fields.fail((*keys, "email"), problem)
        email = None
    url = fields.text(data, "url", keys)
    if url and not WEB_URL.match(url):
        fields.fail((*keys, "url"), Message('"%(url)s" must be an http(s) URL', url=url))
        url = None
    return Contact(name=fields.text(data, "name", keys), phone=read_phone(fields, data, keys), email=email,
                   url=url)


def read_phone(fields: Fields, data: Mapping[str, Any], keys: tuple[Key, ...], *, required: bool = False
               ) -> str | None:
    """`phone` as written, if it is one number that a `tel:` link can dial (core.phone.tel_uri).

    The written form is kept, "0209 / 365 2010" as the office prints it; the theme makes the link.
    """
    value = data.get("phone")
    if isinstance(value, int | float) and not isinstance(value, bool):  # unquoted digits: as written
        written = fields.source.written(*keys, "phone")
        data = {**data, "phone": written if written is not None else value}
    phone = fields.text(data, "phone", keys, required=required)
    problem = phone_problem(phone) if phone else None
    if problem is not None:
        fields.fail((*keys, "phone"), problem)
        return None
    return phone
