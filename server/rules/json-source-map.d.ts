// Types for json-source-map, which ships none.
declare module 'json-source-map' {
  export type Location = { line: number; column: number; pos: number }
  export type PointerInfo = { value: Location; valueEnd: Location; key?: Location; keyEnd?: Location }
  export function parse(source: string): { data: unknown; pointers: Record<string, PointerInfo> }
  const _default: { parse: typeof parse }
  export default _default
}
