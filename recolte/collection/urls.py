from recolte.collection import urls_campaigns, urls_library

app_name = "collection"

urlpatterns = urls_campaigns.urlpatterns + urls_library.urlpatterns
