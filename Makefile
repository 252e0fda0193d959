# Two commands: `make run` (demo on SQLite, tasks in-process) and `make test` (the whole suite).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1:8000
# Debian packages the browser and PDF tests need; installed when missing (root, as on CI).
DEBS := chromium fonts-noto-cjk poppler-utils libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0

.PHONY: run test test-services venv deps debs migrate seed worker clean

$(VENV)/.installed-run: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed-run
	$(PIP) install -q -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed-run

debs:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "缺少系统软件包:$$missing(请以 root 运行 apt-get install)"; fi; \
	fi

run: $(VENV)/.installed-run
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "打开 http://$(HOST)/ ,用上面的演示账号登录。"
	$(PY) manage.py runserver $(HOST)

test: $(VENV)/.installed-dev debs
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=wuzha.settings.prod SECRET_KEY=check-deploy-$$(date +%s)-not-a-real-secret-but-long-enough-for-django ALLOWED_HOSTS=wuzha.example.cn \
	  WUZHA_PII_KEYS=$$($(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') WUZHA_PII_HASH_KEY=check-deploy-hash-key \
	  $(PY) manage.py check --deploy --fail-level WARNING
	$(PY) -m pytest $(PYTEST_ARGS)

# The same suite on PostgreSQL with Redis as broker and a real Celery worker (what CI runs second).
PG_URL ?= postgres://postgres@127.0.0.1:5432/wuzha
REDIS_URL ?= redis://127.0.0.1:6379/5
test-services: $(VENV)/.installed-dev debs
	bash scripts/test_with_services.sh "$(PG_URL)" "$(REDIS_URL)"

worker:
	$(VENV)/bin/celery -A wuzha worker -l info

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
