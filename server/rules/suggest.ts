// "Did you mean ...?" for misspelt operators, facts, paths and rule ids.

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number
      row[j] = Math.min(
        (row[j] as number) + 1,
        (row[j - 1] as number) + 1,
        prev + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1)
      )
      prev = tmp
    }
  }
  return row[b.length] as number
}

/** ` (did you mean "x"?)` for the closest candidate within a few edits, else ''. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  let best: string | null = null
  let bestDistance = Math.max(2, Math.floor(word.length / 4)) + 1
  for (const c of candidates) {
    const d = distance(word, c)
    if (d < bestDistance) {
      best = c
      bestDistance = d
    }
  }
  return best === null ? '' : ` (did you mean "${best}"?)`
}
