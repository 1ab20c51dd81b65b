# Build stage: a wheel that carries the content folders.
FROM python:3.11-slim AS build
WORKDIR /src
RUN pip install --no-cache-dir --upgrade pip
COPY pyproject.toml README.md babel.cfg ./
COPY bot ./bot
COPY dialogs ./dialogs
COPY knowledge ./knowledge
COPY locales ./locales
# With the ptb extra, so BOT_FRAMEWORK=ptb works in the image too.
RUN pip wheel --no-cache-dir --wheel-dir /wheels ".[ptb]"

# Run stage: slim, non-root, catalogues compiled at build time.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DATABASE_URL=sqlite+aiosqlite:////home/bot/data/bot.db
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels \
    && python -c "from bot.i18n import compile_catalogs; compile_catalogs()" \
    && useradd --create-home --uid 10001 bot
USER bot
WORKDIR /home/bot
RUN mkdir -p /home/bot/data
# Webhook mode listens here (updates, /healthz, /readyz, /metrics); polling serves the last three
# here only when WEBHOOK_LISTEN is set (docker-compose.yml sets it), else it opens no port.
EXPOSE 8080
# Migrations run before every start; they are a no-op when the schema is current.
CMD ["sh", "-c", "python -m bot db upgrade && exec python -m bot run"]
