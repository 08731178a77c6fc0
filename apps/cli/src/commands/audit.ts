import type { Command } from 'commander';

/** `spotcheck audit verify`: checks the hash-chained audit trail (R21). */
export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the tamper-evident audit trail');
  audit
    .command('verify')
    .description('recompute the hash chain; exit 1 naming the first altered, removed or reordered event')
    .option(
      '--head <seq:hash>',
      'a head seen earlier: the event at that seq must still carry that hash (the chain may have grown)',
    )
    .option(
      '--from-portal <url>',
      'compare with every signed checkpoint the portal at <url> published (detects truncation and rewriting)',
    )
    .option('--key <base64>', 'pin the checkpoint public key (base64 SPKI) instead of trusting the first one')
    .action(async (opts: { head?: string; fromPortal?: string; key?: string }) => {
      let head: { seq: number; hash: string } | undefined;
      if (opts.head) {
        const m = /^(\d+):([0-9a-f]{64})$/.exec(opts.head);
        if (!m) throw new Error('--head must look like <seq>:<64 hex characters>');
        head = { seq: Number(m[1]), hash: m[2]! };
      }
      const [{ verifyAgainstCheckpoints }, { withDatabase }] = await Promise.all([
        import('../lib/audit'),
        import('../lib/database'),
      ]);
      // Every page of the portal's checkpoints, each checked as it is read.
      const report = await withDatabase((database) =>
        verifyAgainstCheckpoints(database, { fromPortal: opts.fromPortal, head, publicKey: opts.key }),
      );
      if (report.ok) {
        const h = report.head ? ` head ${report.head.seq}:${report.head.hash}` : '';
        const cp = opts.fromPortal ? `; ${report.checkpoints} published checkpoints hold` : '';
        process.stdout.write(`audit chain verified: ${report.count} events;${h}${cp}\n`);
        return;
      }
      const p = report.problem!;
      process.stdout.write(`audit chain BROKEN at event ${p.seq} (${p.kind}): ${p.detail}\n`);
      process.exitCode = 1;
    });
}
