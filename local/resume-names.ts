/**
 * The names of the fresh executions a restart starts: `<caseId>-r<n>`, where n counts the executions already
 * named for the case: the one named after the case and every `<caseId>-r…` (those that resumed it before, and those
 * this restart has started). The counts are made in one pass over the names and kept as names are given, so a
 * restart costs O(executions); counting by a scan of every name for each case was O(n²).
 */
export class ResumeNames {
  private readonly counts = new Map<string, number>();

  constructor(caseIds: Iterable<string>, names: Iterable<string>) {
    for (const caseId of caseIds) this.counts.set(caseId, 0);
    for (const name of names) this.count(name);
  }

  /** A name counts for the case it equals, and for each case it begins with followed by `-r`. */
  private count(name: string) {
    const bump = (caseId: string) => {
      const n = this.counts.get(caseId);
      if (n !== undefined) this.counts.set(caseId, n + 1);
    };
    bump(name);
    for (let at = name.indexOf('-r'); at !== -1; at = name.indexOf('-r', at + 1)) bump(name.slice(0, at));
  }

  /** The next name for a case given at construction, counted from then on. */
  next(caseId: string): string {
    const name = `${caseId}-r${this.counts.get(caseId) ?? 0}`;
    this.count(name);
    return name;
  }
}
