// The Polaris web components the Thank-you block uses, defined for a real browser as plain, readable HTML (a heading,
// a paragraph, a <button>, a <select>...) inside each tag's shadow root: what Shopify draws is its own, this only has
// to be legible and clickable. Attributes and properties are what Preact sets, events are what the block listens to.

const CSS = `
:host { display:block; box-sizing:border-box; }
:host([hidden]), :host(s-option) { display:none; }
:host(s-text) { display:inline; } :host(s-button) { display:inline-block; }
:host(s-stack) { display:flex; flex-direction:column; gap:0; }
:host(s-stack[direction="inline"]) { flex-direction:row; flex-wrap:wrap; align-items:center; }
:host(s-stack[gap="small-500"]) { gap:2px; } :host(s-stack[gap="small-300"]) { gap:4px; } :host(s-stack[gap="small"]) { gap:8px; }
:host(s-stack[gap="base"]) { gap:12px; } :host(s-stack[gap^="large"]) { gap:20px; }
section { display:flex; flex-direction:column; gap:12px; }
h2 { margin:0; font-size:19px; line-height:1.3; font-weight:600; color:#222; }
p { margin:0; }
.banner { border-radius:8px; padding:12px 14px; border:1px solid #bcd6ee; background:#eef5fb; display:flex; flex-direction:column; gap:6px; }
.banner.success { background:#edf7f0; border-color:#b9dfc6; color:#14532d; }
.banner.critical { background:#fdf0ef; border-color:#f1bdb7; color:#7a1b12; }
.banner.warning { background:#fff7e6; border-color:#f0d59c; }
.banner strong { font-weight:600; }
button, a.button { font:inherit; font-size:15px; font-weight:600; min-height:44px; padding:10px 16px; border-radius:6px; cursor:pointer;
  border:1px solid #1773b0; background:#1773b0; color:#fff; display:inline-flex; align-items:center; justify-content:center; gap:8px; text-decoration:none; box-sizing:border-box; }
button.secondary, button.tertiary { background:#fff; color:#1773b0; border-color:#d4d4d4; font-weight:500; }
button:disabled { opacity:.5; cursor:not-allowed; }
.spinner { width:14px; height:14px; border-radius:50%; border:2px solid currentColor; border-right-color:transparent; animation:spin .8s linear infinite; }
@keyframes spin { to { transform:rotate(360deg); } }
label { display:flex; flex-direction:column; gap:4px; font-size:12px; color:#707070; }
select, input { font:inherit; font-size:15px; padding:10px; border-radius:6px; border:1px solid #d4d4d4; background:#fff; color:#333; }
img { display:block; width:100%; border-radius:10px; background:#f4f4f4; }
.placeholder { display:grid; place-items:center; text-align:center; aspect-ratio:4/3; border-radius:10px; padding:16px;
  background:linear-gradient(135deg,#e9eef5,#f6efe7); color:#6b7785; font-size:13px; }
.placeholder small { display:block; font-size:11px; color:#8a96a3; margin-top:2px; }
`

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)

/** Images from the shop's CDN are not loaded unless the preview was started with --remote-images. */
let loadRemoteImages = false
const isLocal = (src: string) =>
  src.startsWith('data:') || src.startsWith('/') || /^https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(src)

let sheet: CSSStyleSheet | null = null

abstract class PolarisElement extends HTMLElement {
  protected readonly root: ShadowRoot
  constructor() {
    super()
    this.root = this.attachShadow({ mode: 'open' })
    if (!sheet) {
      sheet = new CSSStyleSheet()
      sheet.replaceSync(CSS)
    }
    this.root.adoptedStyleSheets = [sheet]
  }
  connectedCallback() {
    this.draw()
  }
  attributeChangedCallback() {
    if (this.isConnected) this.draw()
  }
  /** Preact sets `disabled={true}` as the attribute "true" and removes it for false. */
  protected flag(name: string) {
    return this.hasAttribute(name) && this.getAttribute(name) !== 'false'
  }
  protected attr(name: string) {
    return escape(this.getAttribute(name) ?? '')
  }
  protected abstract draw(): void
}

class Section extends PolarisElement {
  static observedAttributes = ['heading']
  draw() {
    const heading = this.getAttribute('heading')
    this.root.innerHTML = `<section>${heading ? `<h2>${escape(heading)}</h2>` : ''}<slot></slot></section>`
  }
}

/** Direction and gap are the host's own styles (the stylesheet's :host(s-stack[...]) rules). */
class Stack extends PolarisElement {
  draw() {
    this.root.innerHTML = '<slot></slot>'
  }
}

class Paragraph extends PolarisElement {
  draw() {
    this.root.innerHTML = '<p><slot></slot></p>'
  }
}

class Text extends PolarisElement {
  static observedAttributes = ['type']
  draw() {
    const strong = ['strong', 'emphasis'].includes(this.getAttribute('type') ?? '')
    this.root.innerHTML = strong ? '<strong><slot></slot></strong>' : '<span><slot></slot></span>'
  }
}

class Banner extends PolarisElement {
  static observedAttributes = ['tone', 'heading']
  draw() {
    const heading = this.getAttribute('heading')
    this.root.innerHTML = `<div role="status" class="banner ${this.attr('tone')}">${
      heading ? `<strong>${escape(heading)}</strong>` : ''
    }<div><slot></slot></div></div>`
  }
}

class Image extends PolarisElement {
  static observedAttributes = ['src', 'alt', 'aspectratio', 'objectfit']
  draw() {
    const src = this.getAttribute('src') ?? ''
    const alt = this.getAttribute('alt') ?? ''
    if (loadRemoteImages || isLocal(src)) {
      const fit = this.attr('objectfit') || 'cover'
      const ratio = this.attr('aspectratio')
      this.root.innerHTML = `<img src="${escape(src)}" alt="${escape(alt)}" style="object-fit:${fit};${ratio ? `aspect-ratio:${ratio}` : ''}">`
      return
    }
    let host = ''
    try {
      host = new URL(src).host
    } catch {
      host = ''
    }
    this.root.innerHTML = `<div class="placeholder" role="img" aria-label="${escape(alt)}"><div>${escape(alt || 'Product image')}${
      host ? `<small>image from ${escape(host)}, not loaded in the preview</small>` : ''
    }</div></div>`
  }
}

class Button extends PolarisElement {
  static observedAttributes = ['variant', 'loading', 'disabled', 'href']
  constructor() {
    super()
    // The host element itself receives the block's onClick: a disabled or busy button must not pass a click on.
    this.addEventListener('click', (e) => this.blocked() && e.stopImmediatePropagation(), { capture: true })
  }
  private blocked() {
    return this.flag('disabled') || this.flag('loading')
  }
  draw() {
    const variant = this.attr('variant') || 'primary'
    const href = this.getAttribute('href')
    if (href) {
      this.root.innerHTML = `<a class="button ${variant}" href="${escape(href)}" target="_blank" rel="noopener"><slot></slot></a>`
      return
    }
    const busy = this.flag('loading')
    this.root.innerHTML = `<button type="button" class="${variant}" ${this.blocked() ? 'disabled' : ''} aria-busy="${busy}">${
      busy ? '<span class="spinner" aria-hidden="true"></span>' : ''
    }<slot></slot></button>`
  }
}

/** A form control whose `value` Preact sets as a property and whose `change` the block listens to on the host. */
abstract class Field extends PolarisElement {
  private current: string | null = null
  get value(): string {
    return this.current ?? this.getAttribute('value') ?? ''
  }
  set value(v: string) {
    this.current = String(v)
    this.sync()
  }
  protected abstract sync(): void
  /** What the buyer did, told the way the host tells it: the new value on the element, then `change`. */
  protected changed(value: string) {
    this.current = value
    this.dispatchEvent(new Event('input', { bubbles: true }))
    this.dispatchEvent(new Event('change', { bubbles: true }))
  }
}

class Select extends Field {
  static observedAttributes = ['label', 'value', 'disabled']
  private readonly observer = new MutationObserver(() => this.draw())
  override connectedCallback() {
    this.observer.observe(this, { childList: true, subtree: true, attributes: true, characterData: true })
    super.connectedCallback()
  }
  disconnectedCallback() {
    this.observer.disconnect()
  }
  draw() {
    const options = Array.from(this.querySelectorAll('s-option')).map(
      (o) => `<option value="${escape(o.getAttribute('value') ?? '')}">${escape((o.textContent ?? '').trim())}</option>`
    )
    this.root.innerHTML = `<label>${this.attr('label')}<select ${this.flag('disabled') ? 'disabled' : ''}>${options.join('')}</select></label>`
    const select = this.root.querySelector('select')!
    select.addEventListener('change', () => this.changed(select.value))
    this.sync()
  }
  protected sync() {
    const select = this.root.querySelector('select')
    if (select) select.value = this.value
  }
}

/** Read by its s-select; never drawn itself. */
class Option extends PolarisElement {
  draw() {}
}

class NumberField extends Field {
  static observedAttributes = ['label', 'value', 'min', 'max', 'step', 'disabled']
  draw() {
    const bound = (name: string) => (this.hasAttribute(name) ? `${name}="${this.attr(name)}"` : '')
    this.root.innerHTML = `<label>${this.attr('label')}<input type="number" inputmode="numeric" ${bound('min')} ${bound('max')} ${bound(
      'step'
    )} ${this.flag('disabled') ? 'disabled' : ''}></label>`
    const input = this.root.querySelector('input')!
    input.addEventListener('change', () => this.changed(input.value))
    this.sync()
  }
  protected sync() {
    const input = this.root.querySelector('input')
    if (input && document.activeElement !== this) input.value = this.value
  }
}

export const POLARIS_ELEMENTS: Record<string, CustomElementConstructor> = {
  's-section': Section,
  's-stack': Stack,
  's-paragraph': Paragraph,
  's-text': Text,
  's-banner': Banner,
  's-image': Image,
  's-button': Button,
  's-select': Select,
  's-option': Option,
  's-number-field': NumberField
}

export function definePolarisElements(opts: { remoteImages: boolean }): void {
  loadRemoteImages = opts.remoteImages
  for (const [tag, element] of Object.entries(POLARIS_ELEMENTS))
    if (!customElements.get(tag)) customElements.define(tag, element)
}
