# helpgen — common tasks. `make test` is what CI runs.
GO ?= go
BIN ?= $(shell $(GO) env GOPATH)/bin

.PHONY: build site test lint install bench bench-hugo bench-go fuzz check clean hugo hugo-golden

build:          ## compile the helpgen binary into ./helpgen
	$(GO) build -o helpgen ./cmd/helpgen

site:           ## build the bundled help site into public/
	$(GO) run ./cmd/helpgen build

test:           ## run every test with the race detector
	$(GO) test -race -count=1 -timeout 30m ./...

lint:           ## gofmt and go vet
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

check:          ## check the bundled help site in every region
	$(GO) run ./cmd/helpgen check

FUZZTIME ?= 2m
fuzz:           ## longer runs: the leak, fix and engine properties with random seeds, then each fuzz target for FUZZTIME
	$(GO) test -count=1 -run TestNoLeaks ./internal/check -rapid.checks=20000 -rapid.seed=0
	$(GO) test -count=1 -run TestFixProperty ./internal/check -rapid.checks=20000 -rapid.seed=0
	$(GO) test -count=1 -run TestUpdateMatchesFull ./internal/build -rapid.checks=2000 -rapid.seed=0
	$(GO) test -count=1 -run TestWarmMatchesCold ./internal/build -rapid.checks=300 -rapid.seed=0
	$(GO) test -run '^$$' -fuzz '^FuzzHostHeader$$' -fuzztime $(FUZZTIME) ./internal/serve
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/shortcode
	$(GO) test -run '^$$' -fuzz '^FuzzLoadPage$$' -fuzztime $(FUZZTIME) ./internal/content
	$(GO) test -run '^$$' -fuzz '^FuzzSite$$' -fuzztime $(FUZZTIME) ./internal/build
	$(GO) test -run '^$$' -fuzz '^FuzzListProblems$$' -fuzztime $(FUZZTIME) ./internal/markdown
	$(GO) test -run '^$$' -fuzz '^FuzzConvertHooks$$' -fuzztime $(FUZZTIME) ./internal/markdown
	$(GO) test -run '^$$' -fuzz '^FuzzReindent$$' -fuzztime $(FUZZTIME) ./internal/check
	$(GO) test -run '^$$' -fuzz '^FuzzURLPath$$' -fuzztime $(FUZZTIME) ./internal/render
	$(GO) test -run '^$$' -fuzz '^FuzzSiteFS$$' -fuzztime $(FUZZTIME) ./internal/sitefs
	$(GO) test -run '^$$' -fuzz '^FuzzTemplateLimits$$' -fuzztime $(FUZZTIME) ./internal/render
	$(GO) test -run '^$$' -fuzz '^FuzzEscapers$$' -fuzztime $(FUZZTIME) ./internal/tplrun
	$(GO) test -run '^$$' -fuzz '^FuzzExecute$$' -fuzztime $(FUZZTIME) ./internal/tplrun
	$(GO) test -run '^$$' -fuzz '^FuzzSquashSpace$$' -fuzztime $(FUZZTIME) ./internal/markdown
	$(GO) test -run '^$$' -fuzz '^FuzzScanRefs$$' -fuzztime $(FUZZTIME) ./internal/markdown
	$(GO) test -run '^$$' -fuzz '^FuzzVariableTokens$$' -fuzztime $(FUZZTIME) ./internal/build
	$(GO) test -run '^$$' -fuzz '^FuzzDecodePostings$$' -fuzztime $(FUZZTIME) ./internal/search
	$(GO) test -run '^$$' -fuzz '^FuzzTerms$$' -fuzztime $(FUZZTIME) ./internal/search
	$(GO) test -run '^$$' -fuzz '^FuzzScanTerms$$' -fuzztime $(FUZZTIME) ./internal/search
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeRecord$$' -fuzztime $(FUZZTIME) ./internal/search
	$(GO) test -run '^$$' -fuzz '^FuzzWhereKey$$' -fuzztime $(FUZZTIME) ./internal/theme
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/buildcache
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeFacts$$' -fuzztime $(FUZZTIME) ./internal/build
	$(GO) test -run '^$$' -fuzz '^FuzzReader$$' -fuzztime $(FUZZTIME) ./internal/wire

install:        ## install helpgen into $(BIN)
	$(GO) install ./cmd/helpgen

bench:          ## full builds of generated 1,000/5,000/20,000-page sites of real-sized pages (≈5 KB) against the goldmark floor, and the search index's cost
	$(GO) run ./cmd/helpgen-bench $(BENCHFLAGS)

bench-go:       ## the Go benchmarks of each stage (lexing, evaluation, Markdown, layout, one-page rebuild)
	$(GO) test -run '^$$' -bench . -benchmem ./...

HUGO_VERSION ?= v0.160.0
HUGO_DIR ?= $(HOME)/.cache/helpgen/hugo-$(HUGO_VERSION)
HUGO ?= $(HUGO_DIR)/hugo

hugo:           ## install Hugo $(HUGO_VERSION) into $(HUGO_DIR) (for golden files and comparisons)
	@test -x $(HUGO) || GOBIN=$(HUGO_DIR) $(GO) install github.com/gohugoio/hugo@$(HUGO_VERSION)

HUGO_PAGES ?= 5000
bench-hugo: hugo ## helpgen and Hugo building the same generated corpus (HUGO_PAGES pages, every region): ratios of wall, CPU and RSS
	$(GO) run ./cmd/helpgen-bench --hugo $(HUGO) -n $(HUGO_PAGES) $(BENCHFLAGS)

hugo-golden: hugo ## write internal/hugocompat/testdata/golden from Hugo's build of its test site
	HUGO=$(HUGO) $(GO) test -count=1 ./internal/hugocompat -update

clean:
	rm -rf public helpgen testout
