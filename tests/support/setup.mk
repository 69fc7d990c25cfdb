# Test tool setup, included from the top-level Makefile:  include tests/support/setup.mk
#
#   make test-deps   Debian chromium, newsboat and rsync (root only) + axe-core, pa11y and vnu-jar from npm.
#
# Idempotent and silent when everything is already in place.

# Resolved at include time so the recipes work whatever the including directory.
PRESSROOM_TEST_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/../..)
CHROMIUM_BIN ?= /usr/bin/chromium
NPM ?= npm

.PHONY: test-deps test-deps-chromium test-deps-newsboat test-deps-rsync test-deps-npm

test-deps: test-deps-chromium test-deps-newsboat test-deps-rsync test-deps-npm

# $(call debian_tool,CHECK,PACKAGE,WHAT IS SKIPPED): install a Debian package when CHECK fails and we
# are root; otherwise say how, and which tests wait for it.
define debian_tool
	@if $(1); then \
	  :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "test-deps: installing Debian $(2)"; \
	  apt-get -qq -o DPkg::Lock::Timeout=600 update && \
	  DEBIAN_FRONTEND=noninteractive apt-get -qq -y -o DPkg::Lock::Timeout=600 install $(2) >/dev/null; \
	else \
	  echo "test-deps: $(2) is missing and you are not root;"; \
	  echo "           run 'sudo apt-get install $(2)' - $(3) will be skipped until then."; \
	fi
endef

# Playwright drives the distribution browser; we never download one.
test-deps-chromium:
	$(call debian_tool,[ -x "$(CHROMIUM_BIN)" ],chromium,browser tests)

# A real feed reader for tests/outputs/test_newsboat.py.
test-deps-newsboat:
	$(call debian_tool,command -v newsboat >/dev/null 2>&1,newsboat,the feed reader test)

# `pressroom deploy` is tested against a local folder with the real rsync.
test-deps-rsync:
	$(call debian_tool,command -v rsync >/dev/null 2>&1,rsync,deploy tests)

test-deps-npm: $(PRESSROOM_TEST_ROOT)/node_modules/.package-lock.json

# npm rewrites node_modules/.package-lock.json on every install, so it stands for
# "node_modules is up to date". --ignore-scripts: vnu-jar's postinstall tries to
# download a JDK from GitHub; we use the system Java instead.
$(PRESSROOM_TEST_ROOT)/node_modules/.package-lock.json: $(PRESSROOM_TEST_ROOT)/package.json $(wildcard $(PRESSROOM_TEST_ROOT)/package-lock.json)
	@echo "test-deps: installing npm test tools (axe-core, pa11y, vnu-jar; no browser download)"
	@cd "$(PRESSROOM_TEST_ROOT)" && \
	  if [ -f package-lock.json ]; then \
	    $(NPM) ci --ignore-scripts --no-audit --no-fund --loglevel=error; \
	  else \
	    $(NPM) install --ignore-scripts --no-audit --no-fund --loglevel=error; \
	  fi
	@touch "$@"
