// The host side of @remote-ui: a receiver limited to the SDK's 29 components, and readers for its tree.
import {
  createRemoteReceiver,
  createRemoteRoot,
  KIND_COMPONENT,
  KIND_TEXT,
  type RemoteReceiver,
  type RemoteRoot
} from '@remote-ui/core'

/** Every component the post-purchase SDK 0.13.5 exports: anything else (a `<div>`) is an error, as on Shopify. */
export const COMPONENTS = [
  'Banner',
  'BlockStack',
  'Bookend',
  'Button',
  'ButtonGroup',
  'BuyerConsent',
  'CalloutBanner',
  'Checkbox',
  'Form',
  'FormLayout',
  'FormLayoutGroup',
  'Heading',
  'HeadingGroup',
  'HiddenForAccessibility',
  'Image',
  'InlineStack',
  'Layout',
  'Link',
  'Radio',
  'Select',
  'Separator',
  'Spinner',
  'Text',
  'TextBlock',
  'TextContainer',
  'TextField',
  'Tiles',
  'View',
  'VisuallyHidden'
] as const

/** A plain snapshot of one component; functions are kept so tests can call them. */
export type TreeNode = { id: string; type: string; props: Record<string, unknown>; children: (TreeNode | string)[] }

type Attached = {
  id: string
  kind: number
  type?: string
  props?: Record<string, unknown>
  text?: string
  children?: Attached[]
}

export type Host = { receiver: RemoteReceiver; root: RemoteRoot<any, any> }

/** A receiver and a root wired together; `onUpdate` runs after every message (the preview streams on it). */
export function createHost(onUpdate: () => void = () => {}): Host {
  const receiver = createRemoteReceiver()
  const channel = ((type: any, ...args: any[]) => {
    const result = (receiver.receive as any)(type, ...args)
    onUpdate()
    return result
  }) as typeof receiver.receive
  const root = createRemoteRoot(channel, { components: COMPONENTS as unknown as string[] })
  return { receiver, root }
}

function toNode(a: Attached): TreeNode | string | null {
  if (a.kind === KIND_TEXT) return a.text ?? ''
  if (a.kind !== KIND_COMPONENT) return null
  const children: (TreeNode | string)[] = []
  for (const child of a.children ?? []) {
    const node = toNode(child)
    if (node !== null) children.push(node)
  }
  return { id: a.id, type: a.type ?? '?', props: { ...(a.props ?? {}) }, children }
}

export function snapshot(receiver: RemoteReceiver): TreeNode[] {
  const out: TreeNode[] = []
  for (const child of receiver.attached.root.children as unknown as Attached[]) {
    const node = toNode(child)
    if (node !== null && typeof node !== 'string') out.push(node)
  }
  return out
}

/** All text under a node, joined with spaces (what a screen reader would roughly read). */
export function textOf(node: TreeNode | string): string {
  if (typeof node === 'string') return node
  const own = node.children
    .map(textOf)
    .filter((t) => t !== '')
    .join(' ')
  const extra =
    node.type === 'CalloutBanner' || node.type === 'Banner' ? (node.props.title as string | undefined) : undefined
  return [extra, own].filter(Boolean).join(' ').replace(/\s+/g, ' ').trim()
}

export function findAll(nodes: (TreeNode | string)[], test: (n: TreeNode) => boolean): TreeNode[] {
  const found: TreeNode[] = []
  const visit = (n: TreeNode | string) => {
    if (typeof n === 'string') return
    if (test(n)) found.push(n)
    n.children.forEach(visit)
  }
  nodes.forEach(visit)
  return found
}

/** The tree as JSON-safe data: function props become `true` under `fn:<name>` markers for the preview. */
export function serialise(nodes: (TreeNode | string)[]): unknown[] {
  return nodes.map((n) => {
    if (typeof n === 'string') return n
    const props: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(n.props)) props[k] = typeof v === 'function' ? { fn: k } : v
    return { id: n.id, type: n.type, props, children: serialise(n.children) }
  })
}
