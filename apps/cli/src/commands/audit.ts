import type { Command } from 'commander';

/** `spotcheck audit verify`: checks the hash-chained audit trail (R21). */
export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the tamper-evident audit trail');
  audit
    .command('verify')
    .description('recompute the hash chain; exit 1 naming the first altered, removed or reordered event')
    .option('--head <seq:hash>', 'a previously published head, to detect events removed at the end')
    .action(async (opts: { head?: string }) => {
      let expectedHead: { seq: number; hash: string } | undefined;
      if (opts.head) {
        const m = /^(\d+):([0-9a-f]{64})$/.exec(opts.head);
        if (!m) throw new Error('--head must look like <seq>:<64 hex characters>');
        expectedHead = { seq: Number(m[1]), hash: m[2]! };
      }
      const [{ verifyAuditChain }, { withDatabase }] = await Promise.all([
        import('@spotcheck/api'),
        import('../lib/database'),
      ]);
      const report = await withDatabase((database) => verifyAuditChain(database.db, { expectedHead }));
      if (report.ok) {
        const head = report.head ? ` head ${report.head.seq}:${report.head.hash}` : '';
        process.stdout.write(`audit chain verified: ${report.count} events;${head}\n`);
        return;
      }
      const p = report.problem!;
      process.stdout.write(`audit chain BROKEN at event ${p.seq} (${p.kind}): ${p.detail}\n`);
      process.exitCode = 1;
    });
}
