// Chromium: the preview of both pages and the dashboard. One tap process (see test/suites/README.md).
import '../analytics/dashboard-browser.test.js'
import '../extension/preview-browser.test.js'
import '../extension/preview-thank-you-browser.test.js'
