"""The signed-in home page: each programme as the person's role there needs it."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from recolte.portal.home import home_for


def home(request: HttpRequest) -> HttpResponse:
    # Anonymous visitors see the welcome card; `home_for` shows nothing of any programme to them.
    return render(request, "portal/home.html", home_for(request.user))
