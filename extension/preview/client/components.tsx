// The SDK's 29 components as HTML that looks like Shopify's checkout; function props call back into the harness.
import type { ReactNode } from 'react'

export type RemoteNode = { id: string; type: string; props: Record<string, unknown>; children: (RemoteNode | string)[] }
export type Invoke = (node: string, prop: string, args: unknown[]) => void

type Ctx = { invoke: Invoke; remoteImages: boolean }

const cls = (...names: (string | false | null | undefined)[]) => names.filter(Boolean).join(' ')
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
const has = (props: Record<string, unknown>, name: string) => typeof props[name] === 'object' && props[name] !== null

export function Children({ nodes, ctx }: { nodes: (RemoteNode | string)[]; ctx: Ctx }) {
  return (
    <>
      {nodes.map((n, i) =>
        typeof n === 'string' ? <span key={`t${i}`}>{n}</span> : <Component key={n.id} node={n} ctx={ctx} />
      )}
    </>
  )
}

function isLocal(src: string) {
  return src.startsWith('data:') || src.startsWith('/') || /^https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(src)
}

function Placeholder({ description, source }: { description: string; source: string }) {
  let host = ''
  try {
    host = new URL(source).host
  } catch {
    host = ''
  }
  return (
    <div className="s-image placeholder" role="img" aria-label={description} data-source={source}>
      <div>
        <svg width="44" height="44" viewBox="0 0 24 24" aria-hidden="true">
          <path
            fill="currentColor"
            d="M4 5h16a1 1 0 0 1 1 1v12a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1zm1 2v8.6l4.3-4.3a1 1 0 0 1 1.4 0l3.3 3.3 1.8-1.8a1 1 0 0 1 1.4 0L19 14.6V7H5zm10.5 1.5a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3z"
          />
        </svg>
        <div>{description || 'Product image'}</div>
        {host ? <small>image from {host}, not loaded in the preview</small> : null}
      </div>
    </div>
  )
}

export function Component({ node, ctx }: { node: RemoteNode; ctx: Ctx }): JSX.Element {
  const p = node.props
  const kids: ReactNode = <Children nodes={node.children} ctx={ctx} />
  const call = (prop: string, ...args: unknown[]) => ctx.invoke(node.id, prop, args)
  const data = { 'data-remote': node.type, 'data-id': node.id }
  switch (node.type) {
    case 'BlockStack':
      return (
        <div {...data} className={cls('s-blockstack', str(p.spacing), str(p.alignment))}>
          {kids}
        </div>
      )
    case 'InlineStack':
      return (
        <div {...data} className={cls('s-inlinestack', str(p.spacing), str(p.alignment))}>
          {kids}
        </div>
      )
    case 'Bookend':
      return (
        <div
          {...data}
          className={cls(
            's-bookend',
            p.leading === true && 'leading',
            p.trailing === true && 'trailing',
            str(p.alignment)
          )}
        >
          {kids}
        </div>
      )
    case 'Layout':
      return (
        <div {...data} className="s-layout">
          {kids}
        </div>
      )
    case 'Tiles':
      return (
        <div {...data} className="s-tiles">
          {kids}
        </div>
      )
    case 'View':
    case 'Form':
    case 'FormLayout':
    case 'FormLayoutGroup':
    case 'HeadingGroup':
    case 'ButtonGroup':
      return (
        <div {...data} className={`s-${node.type.toLowerCase()} s-blockstack tight`}>
          {kids}
        </div>
      )
    case 'TextContainer':
      return (
        <div
          {...data}
          className={cls('s-textcontainer', str(p.alignment))}
          style={{ textAlign: p.alignment === 'center' ? 'center' : undefined }}
        >
          {kids}
        </div>
      )
    case 'Heading': {
      const level = p.level === 2 ? 2 : p.level === 3 ? 3 : 1
      const className = cls('s-heading', `l${level}`)
      return level === 1 ? (
        <h1 {...data} className={className}>
          {kids}
        </h1>
      ) : level === 2 ? (
        <h2 {...data} className={className}>
          {kids}
        </h2>
      ) : (
        <h3 {...data} className={className}>
          {kids}
        </h3>
      )
    }
    case 'TextBlock':
      return (
        <p
          {...data}
          className={cls(
            's-textblock',
            str(p.size),
            p.emphasized === true && 'emphasized',
            p.subdued === true && 'subdued',
            str(p.appearance)
          )}
        >
          {kids}
        </p>
      )
    case 'Text':
      return (
        <span
          {...data}
          className={cls(
            's-text',
            str(p.size),
            p.emphasized === true && 'emphasized',
            p.subdued === true && 'subdued',
            str(p.appearance)
          )}
        >
          {kids}
        </span>
      )
    case 'Separator':
      return <hr {...data} className="s-separator" />
    case 'Spinner':
      return <span {...data} className="s-spinner" role="progressbar" aria-label="Loading" />
    case 'Image': {
      const source = str(p.source) ?? ''
      const description = str(p.description) ?? ''
      if (!ctx.remoteImages && !isLocal(source)) return <Placeholder description={description} source={source} />
      return (
        <img
          {...data}
          className={cls('s-image', p.bordered === true && 'bordered')}
          src={source}
          alt={description}
          style={{ aspectRatio: typeof p.aspectRatio === 'number' ? String(p.aspectRatio) : undefined }}
        />
      )
    }
    case 'Button': {
      const loading = p.loading === true
      return (
        <button
          {...data}
          type="button"
          className={cls(
            's-button',
            p.subdued === true && 'subdued',
            p.plain === true && 'plain',
            loading && 'loading'
          )}
          disabled={p.disabled === true || loading}
          aria-busy={loading}
          onClick={() => has(p, 'onPress') && call('onPress')}
        >
          {loading ? (
            <>
              <span className="s-spinner" />
              {str(p.loadingLabel) ?? ''}
            </>
          ) : (
            kids
          )}
        </button>
      )
    }
    case 'Link':
      return (
        <button {...data} type="button" className="s-link" onClick={() => has(p, 'onPress') && call('onPress')}>
          {kids}
        </button>
      )
    case 'Banner':
      return (
        <div {...data} role="status" className={cls('s-banner', str(p.status) ?? 'info')}>
          {str(p.title) ? <div className="title">{str(p.title)}</div> : null}
          {kids}
        </div>
      )
    case 'CalloutBanner':
      return (
        <div {...data} className={cls('s-callout', str(p.background))}>
          {str(p.title) ? <div className="title">{str(p.title)}</div> : null}
          {kids}
        </div>
      )
    case 'Select': {
      const options = Array.isArray(p.options)
        ? (p.options as { value: string; label: string; disabled?: boolean }[])
        : []
      return (
        <label {...data} className="s-select">
          {str(p.label)}
          <select
            value={str(p.value)}
            disabled={p.disabled === true}
            onChange={(e) => has(p, 'onChange') && call('onChange', e.target.value)}
          >
            {options.map((o) => (
              <option key={o.value} value={o.value} disabled={o.disabled}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
      )
    }
    case 'TextField':
      return (
        <label {...data} className="s-field">
          {str(p.label)}
          <input
            defaultValue={str(p.value)}
            onChange={(e) => has(p, 'onInput') && call('onInput', e.target.value)}
            onBlur={(e) => has(p, 'onChange') && call('onChange', e.target.value)}
          />
        </label>
      )
    case 'Checkbox':
    case 'BuyerConsent':
      return (
        <label {...data} className="s-check">
          <input
            type="checkbox"
            checked={p.checked === true || p.value === true}
            onChange={(e) => has(p, 'onChange') && call('onChange', e.target.checked)}
          />
          <span>
            {kids}
            {str(p.policy) ?? ''}
          </span>
        </label>
      )
    case 'Radio':
      return (
        <label {...data} className="s-check">
          <input
            type="radio"
            name={str(p.name)}
            checked={p.checked === true}
            onChange={(e) => has(p, 'onChange') && call('onChange', e.target.checked)}
          />
          <span>{kids}</span>
        </label>
      )
    case 'VisuallyHidden':
      return (
        <span {...data} className="s-hidden">
          {kids}
        </span>
      )
    case 'HiddenForAccessibility':
      return (
        <span {...data} aria-hidden="true">
          {kids}
        </span>
      )
    default:
      return (
        <div {...data} className="s-unknown">
          {kids}
        </div>
      )
  }
}
