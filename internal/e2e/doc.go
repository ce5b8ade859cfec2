// Package e2e holds end-to-end tests that build the bundled help site, serve
// each region on its own loopback address, and drive headless Chromium
// through the pages a reader would use. It has no code of its own.
package e2e
