"""newsgraph's web app: the store's typed queries as an HTTP API (``/api/``) and as pages.

``newsgraph serve --db FILE`` runs it; :func:`newsgraph.web.app.create_app` builds it for any
ASGI server. :mod:`~newsgraph.web.api` holds the API routes, :mod:`~newsgraph.web.pages` the
pages (each with a ``.json`` and ``.csv`` twin), :mod:`~newsgraph.web.markup` cuts an article's
text into marked pieces. Importing it loads no NLP model.
"""
