"""Searchable pickers: a select marked `data-picker` becomes a Tom Select in the browser.

`static/recolte/pickers.js` enhances the marked selects (also in content HTMX swaps in);
without JavaScript the native select stays and posts the same values.
"""

from django import forms

# A single choice among fewer options reads faster in a native select.
LONG_LIST = 12


def use_pickers(form: forms.BaseForm) -> None:
    """Mark the multiple-choice fields and the long single-choice lists of `form`."""
    for field in form.fields.values():
        widget = field.widget
        if not isinstance(widget, forms.Select):
            continue
        many = isinstance(widget, forms.SelectMultiple)
        # A model's list (organisations, people, campaigns) grows with the programme: taken as
        # long without a query to count it.
        long = hasattr(field, "queryset") or len(list(getattr(field, "choices", ()))) > LONG_LIST
        if many or long:
            widget.attrs["data-picker"] = "multiple" if many else "single"
