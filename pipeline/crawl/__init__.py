"""The crawler, one module per step: settings, URLs, robots.txt, HTTP, content, links, store, progress."""
