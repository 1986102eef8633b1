"""The analyst's desk: the corpus store -> web pages and their JSON twins (``create_app``)."""
