# Symphony staff portal. `make` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEPLOY_ENV := DJANGO_SETTINGS_MODULE=portal.settings.production \
	SECRET_KEY=check-deploy-dummy-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz \
	DATABASE_URL=postgres://portal@127.0.0.1:5432/portal ALLOWED_HOSTS=portal.example \
	REDIS_URL=redis://127.0.0.1:6379/0 \
	CASE_AUDIT_HMAC_KEY=check-deploy-dummy-case-audit-key-0123456789-abcdefghij

.DEFAULT_GOAL := help
.PHONY: help run test lint check-migrations check-deploy pytest bench audit clean lock-requirements upgrade-requirements

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-18s %s\n", $$1, $$2}'

# Installs exactly the lock file: every package, its version and its hashes (pip itself included).
$(BIN)/.installed: requirements.lock requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-dev.lock
	touch $@

run: $(BIN)/.installed ## Serve the portal with the demo trust on http://127.0.0.1:$(PORT) (SQLite, local files)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(BIN)/.installed lint check-migrations check-deploy pytest ## The whole suite: lint, migrations, deploy checks, tests

lint: $(BIN)/.installed ## ruff (with security rules), and the apps' layers (import-linter, pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

check-migrations: $(BIN)/.installed ## Fail if a model change has no migration
	DJANGO_SETTINGS_MODULE=portal.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

check-deploy: $(BIN)/.installed ## Django's deployment checks under production settings (dummy values)
	$(DEPLOY_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund || echo "npm could not install axe-core: accessibility checks will fail"

pytest: $(BIN)/.installed node_modules/axe-core/axe.min.js ## The tests (DATABASE_URL=postgres://… runs them on PostgreSQL)
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest

audit: $(BIN)/.installed ## Known vulnerabilities in the pinned requirements
	$(BIN)/pip-audit -r requirements.txt

bench: $(BIN)/.installed ## Benchmarks against the bare request (see bench/README.md)
	$(BIN)/python -m bench.run

clean: ## Remove the virtualenv, the SQLite database and local media
	rm -rf $(VENV) db.sqlite3 media

PIP_COMPILE := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links --no-emit-trusted-host

lock-requirements: $(BIN)/.installed ## Re-lock after editing requirements*.txt (keeps every other version)
	$(PIP_COMPILE) --output-file requirements.lock requirements.txt
	$(PIP_COMPILE) --output-file requirements-dev.lock requirements-dev.txt

upgrade-requirements: $(BIN)/.installed ## Move the unpinned (indirect) dependencies to their newest versions, on purpose
	$(PIP_COMPILE) --upgrade --output-file requirements.lock requirements.txt
	$(PIP_COMPILE) --upgrade --output-file requirements-dev.lock requirements-dev.txt
	@echo "Review the lock files' diff, run make test, and commit them together."
