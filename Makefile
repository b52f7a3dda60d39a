# Two commands matter: `make demo` (serve the demo) and `make test` (the whole suite).
PORT ?= 8000
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
DATA := $(or $(RECOLTE_DATA),var)
# compilemessages walks the whole tree; the venv holds Django's own catalogues.
I18N_IGNORE := --ignore=.venv --ignore=var --ignore=bench --ignore=tests

.PHONY: demo test lint messages compilemessages bench pg-start pg-stop screenshots

demo: $(VENV)/.deps-demo compilemessages
	$(MANAGE) migrate --noinput
	$(MANAGE) demo_load
	scripts/serve.sh $(PORT)

test: $(VENV)/.deps-dev $(DATA)/secret_key
	scripts/system-deps.sh
	scripts/axe.sh
	$(MANAGE) compilemessages $(I18N_IGNORE)
	scripts/test.sh

lint: $(VENV)/.deps-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

messages: $(VENV)/.deps-demo $(DATA)/secret_key
	scripts/system-deps.sh gettext
	$(MANAGE) makemessages -l fr -l en $(I18N_IGNORE)

compilemessages: $(VENV)/.deps-demo $(DATA)/secret_key
	scripts/system-deps.sh gettext
	$(MANAGE) compilemessages $(I18N_IGNORE)

# The README's images, from the demo data on a scratch database (scripts/screenshots.py).
screenshots: $(VENV)/.deps-dev compilemessages
	scripts/system-deps.sh
	$(BIN)/python scripts/screenshots.py

bench: $(VENV)/.deps-demo
	scripts/bench.sh

pg-start: $(VENV)/.deps-dev
	@echo "DATABASE_URL=$$(scripts/pg.sh start)"

pg-stop:
	scripts/pg.sh stop

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The settings have no default key: this instance gets a random one, made once and kept (mode
# 600), which they read when SECRET_KEY and SECRET_KEY_FILE are unset.
$(DATA)/secret_key: | $(BIN)/python
	mkdir -p $(DATA)
	umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@.tmp
	mv $@.tmp $@

# Stamps: dependencies are reinstalled only when pyproject.toml changes.
$(VENV)/.deps-demo: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[fast]"
	touch $@

$(VENV)/.deps-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[dev,fast]"
	touch $@ $(VENV)/.deps-demo
