// The preview's HTML shells and stylesheet: the page (two phone columns, the post-purchase page and the Thank-you page,
// beside the logs) and the Thank-you pane's frame, the extension's own document.
import type { FrameConfig } from './thank-you/frame-config.js'

const CSS = `
:root { --ink:#333; --muted:#707070; --line:#dedede; --accent:#1773b0; --accent-dark:#105a8a; --bg:#f2f3f5; --ok:#1f7a4d; --bad:#b42318; --warn:#8a5a00; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink); font: 14px/1.45 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header.bar { display:flex; align-items:center; gap:12px; padding:12px 24px; background:#fff; border-bottom:1px solid var(--line); }
header.bar b { font-size:15px; } header.bar .meta { color:var(--muted); font-size:12px; margin-left:auto; }
main { display:flex; gap:24px; padding:24px; align-items:flex-start; flex-wrap:wrap; }
.phone { width:390px; min-height:760px; background:#fff; border:1px solid var(--line); border-radius:28px; box-shadow:0 10px 30px rgba(0,0,0,.08); overflow:hidden; flex:none; }
.shop { padding:18px 20px 14px; border-bottom:1px solid var(--line); display:flex; align-items:center; gap:10px; }
.shop .logo { width:32px; height:32px; border-radius:8px; background:linear-gradient(135deg,#2b5876,#4e4376); color:#fff; display:grid; place-items:center; font-weight:700; }
.shop .name { font-weight:600; } .shop .secure { margin-left:auto; color:var(--muted); font-size:12px; display:flex; align-items:center; gap:4px; }
.paid { padding:12px 20px; background:#f6faf7; color:var(--ok); font-size:13px; border-bottom:1px solid var(--line); }
.page { padding:20px; }
.side { flex:1; min-width:360px; max-width:760px; display:flex; flex-direction:column; gap:16px; }
.card { background:#fff; border:1px solid var(--line); border-radius:12px; padding:16px; }
.card h2 { margin:0 0 10px; font-size:14px; text-transform:uppercase; letter-spacing:.04em; color:var(--muted); }
.picker { display:flex; flex-wrap:wrap; gap:8px; } .picker select { flex:1 1 160px; min-width:0; }
.picker select, .picker button { font:inherit; padding:8px 10px; border-radius:8px; border:1px solid #c9cccf; background:#fff; }
.picker button { background:var(--ink); color:#fff; border-color:var(--ink); cursor:pointer; }
.fixture-meta { color:var(--muted); font-size:12px; margin-top:8px; }
.log { list-style:none; margin:0; padding:0; font:12px/1.5 ui-monospace, SFMono-Regular, Menlo, monospace; max-height:520px; overflow:auto; }
.log li { padding:6px 0; border-bottom:1px dashed #eee; display:grid; grid-template-columns:64px auto minmax(0,1fr); align-items:baseline; overflow-wrap:anywhere; }
.log .ms { color:#999; }
.kind { display:inline-block; min-width:92px; padding:0 6px; margin-right:6px; border-radius:4px; background:#eef1f4; color:#44515c; font-size:11px; text-align:center; }
.kind.request { background:#e8f1fb; color:#1d4f7a; } .kind.apply { background:#eaf6ee; color:var(--ok); } .kind.calculate { background:#f3eefc; color:#5b3d99; }
.kind.done { background:#222; color:#fff; } .kind.error { background:#fdecea; color:var(--bad); } .kind.storage, .kind.should-render { background:#fff6e0; color:var(--warn); }
.log details pre { margin:4px 0 0; padding:8px; background:#f7f7f8; border-radius:6px; white-space:pre-wrap; word-break:break-all; max-height:260px; overflow:auto; }
.stored table { width:100%; border-collapse:collapse; font-size:13px; } .stored th { text-align:left; color:var(--muted); font-weight:500; font-size:12px; padding:4px 8px 6px 0; border-bottom:1px solid var(--line); }
.stored td { padding:6px 8px 6px 0; border-bottom:1px solid #f0f0f0; vertical-align:top; } .stored td code { font-size:12px; }
.stored details { margin-top:10px; } .stored summary { cursor:pointer; color:var(--muted); font-size:12px; }
.stored pre { margin:0; font:12px/1.5 ui-monospace, Menlo, monospace; white-space:pre-wrap; max-height:300px; overflow:auto; }
.empty { padding:48px 12px; text-align:center; color:var(--muted); }
.thanks { padding:36px 8px; text-align:center; } .thanks .check { width:56px; height:56px; border-radius:50%; border:2px solid var(--ok); color:var(--ok); display:grid; place-items:center; font-size:28px; margin:0 auto 12px; }
.thanks-head { display:flex; gap:12px; align-items:center; padding:16px 20px; border-bottom:1px solid var(--line); } .thanks-head .check { width:36px; height:36px; border-radius:50%; border:2px solid var(--ok); color:var(--ok); display:grid; place-items:center; font-size:18px; }
.order-box { border:1px solid var(--line); border-radius:8px; padding:12px 14px; margin-bottom:16px; } .block-slot { border:1px dashed #c9d7e6; border-radius:8px; padding:8px; }
.thanks h2 { margin:0 0 6px; font-size:20px; } .thanks ul { list-style:none; padding:0; color:var(--muted); }
/* The SDK's components */
.s-blockstack { display:flex; flex-direction:column; gap:12px; } .s-blockstack.xtight { gap:4px; } .s-blockstack.tight { gap:8px; } .s-blockstack.loose { gap:20px; } .s-blockstack.xloose { gap:32px; }
.s-blockstack:empty { display:none; }
.s-inlinestack { display:flex; flex-wrap:wrap; align-items:flex-start; gap:12px; } .s-inlinestack.tight { gap:8px; } .s-inlinestack.xtight { gap:4px; } .s-inlinestack.loose { gap:20px; }
.s-inlinestack.center { align-items:center; } .s-inlinestack.trailing { align-items:flex-end; } .s-inlinestack.baseline { align-items:baseline; }
.s-bookend { display:flex; gap:12px; align-items:flex-start; } .s-bookend.baseline { align-items:baseline; } .s-bookend.center { align-items:center; }
.s-bookend > * { flex:1 1 auto; } .s-bookend.trailing > :last-child, .s-bookend.leading > :first-child { flex:0 0 auto; }
.s-layout { display:flex; flex-direction:column; gap:16px; }
.s-tiles { display:grid; grid-template-columns:repeat(auto-fit,minmax(120px,1fr)); gap:12px; }
.s-view { padding:0; } .s-textcontainer { display:flex; flex-direction:column; gap:8px; }
.s-heading { margin:0; font-size:24px; line-height:1.25; font-weight:600; color:#222; } .s-heading.l2 { font-size:19px; } .s-heading.l3 { font-size:16px; }
.s-textblock { margin:0; color:var(--ink); }
.s-text.subdued, .s-textblock.subdued { color:var(--muted); } .s-text.emphasized, .s-textblock.emphasized { font-weight:600; }
.s-text.small, .s-textblock.small { font-size:12px; } .s-text.large, .s-textblock.large { font-size:16px; } .s-text.xlarge { font-size:20px; }
.s-text.success, .s-textblock.success { color:var(--ok); } .s-text.critical, .s-textblock.critical { color:var(--bad); } .s-text.warning { color:var(--warn); }
.s-separator { border:0; border-top:1px solid #e6e6e6; margin:2px 0; width:100%; }
.s-image { display:block; width:100%; border-radius:10px; object-fit:cover; background:#f4f4f4; } .s-image.bordered { border:1px solid var(--line); }
.s-image.placeholder { display:grid; place-items:center; aspect-ratio:16/9; background:linear-gradient(135deg,#e9eef5,#f6efe7); color:#6b7785; text-align:center; padding:16px; font-size:13px; }
.s-image.placeholder svg { color:#9aa7b5; margin-bottom:4px; } .s-image.placeholder small { display:block; font-size:11px; color:#8a96a3; margin-top:2px; }
.s-button { width:100%; min-height:52px; border-radius:6px; border:1px solid var(--accent); background:var(--accent); color:#fff; font-family:inherit; font-size:16px; font-weight:600; line-height:1.2; cursor:pointer; display:flex; align-items:center; justify-content:center; gap:10px; padding:12px 16px; }
.s-button:hover:not(:disabled) { background:var(--accent-dark); }
.s-button.subdued { background:#fff; color:var(--accent); border-color:#d4d4d4; font-weight:500; } .s-button.subdued:hover:not(:disabled) { background:#f6f8fa; }
.s-inlinestack .s-button { width:auto; min-width:44px; min-height:40px; padding:6px 12px; }
.s-button.plain { background:none; border:0; color:var(--accent); min-height:0; padding:0; width:auto; text-decoration:underline; }
.s-button:disabled { opacity:.45; cursor:not-allowed; } .s-button.loading { opacity:.85; cursor:progress; }
.s-spinner { width:18px; height:18px; border-radius:50%; border:2px solid currentColor; border-right-color:transparent; animation:spin .8s linear infinite; display:inline-block; color:var(--accent); }
.s-button .s-spinner { color:#fff; } .s-button.subdued .s-spinner { color:var(--accent); }
@keyframes spin { to { transform:rotate(360deg); } }
.s-banner { border-radius:8px; padding:12px 14px; border:1px solid; } .s-banner .title { font-weight:600; margin-bottom:4px; }
.s-banner.info { background:#eef5fb; border-color:#bcd6ee; } .s-banner.success { background:#edf7f0; border-color:#b9dfc6; color:#14532d; }
.s-banner.warning { background:#fff7e6; border-color:#f0d59c; } .s-banner.critical { background:#fdf0ef; border-color:#f1bdb7; color:#7a1b12; }
.s-callout { border-radius:8px; padding:12px 14px; text-align:center; background:#f4f6f8; } .s-callout.transparent { background:transparent; } .s-callout .title { font-weight:600; }
.s-select { display:flex; flex-direction:column; gap:4px; font-size:12px; color:var(--muted); }
.s-select select, .s-field input { font-family:inherit; font-size:15px; padding:12px; border-radius:6px; border:1px solid #d4d4d4; background:#fff; color:var(--ink); }
.s-field { display:flex; flex-direction:column; gap:4px; font-size:12px; color:var(--muted); }
.s-check { display:flex; gap:8px; align-items:center; }
.s-link { color:var(--accent); text-decoration:underline; cursor:pointer; background:none; border:0; padding:0; font:inherit; }
.s-hidden { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); }
`

/** What the page's script needs to know (window.__PREVIEW__). */
export type PageConfig = {
  serviceUrl: string
  bundleBytes: number
  remoteImages: boolean
  thankYou: { serviceUrl: string; bundleBytes: number; compressedBytes: number; orders: string }
}

/** JSON for a <script>: no `</script>` can end it early. */
const inline = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c')

export function pageHtml(opts: PageConfig): string {
  const config = inline(opts)
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Encore · post-purchase preview</title>
<style>${CSS}</style>
</head>
<body>
<div id="app"></div>
<script>window.__PREVIEW__ = ${config}</script>
<script src="/client.js"></script>
</body>
</html>`
}

/**
 * The Thank-you pane's iframe: its own document, as Shopify's sandbox is, so the block renders into this body and
 * not into the preview's. The host script (the shopify global, the Polaris tags) runs first, from the head.
 */
export function thankYouFrameHtml(config: FrameConfig): string {
  return `<!doctype html>
<html lang="${config.locale.replace(/[^\w-]/g, '')}">
<head>
<meta charset="utf-8">
<title>Thank-you block</title>
<style>body { margin:0; padding:2px; color:#333; font: 14px/1.45 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }</style>
<script>window.__THANK_YOU__ = ${inline(config)}</script>
<script src="/thank-you/host.js"></script>
</head>
<body></body>
</html>`
}
