import { Button, Card, Descriptions, Tag } from 'antd';
import { Notice } from '@spotcheck/ui/notice';
import { useState } from 'react';
import { useI18n } from '../i18n';
import { fmtTime } from '@spotcheck/ui/format';
import { readVoid, type PublicationHeader } from '../lib/publications';
import { readVoidEnvelope } from '../lib/v2';
import { Loaded, Mono, usePublication } from './common';
import { VoidChecks, type VoidPublicationForCheck } from './v2/VoidChecks';

/** A published sr-draw/v2 void with its bundle. */
interface VoidV2Content extends VoidFactsOf {
  algorithm: 'sr-draw/v2';
  bundle: KnownAtVoid;
}

/** What a v2 void says of itself, from its bundle or (a covert plan's sealed void) from its digests. */
interface VoidFactsOf {
  attempt?: number;
  reason?: string;
  voidReasons?: Record<string, [string, string]>;
  afterRandomness?: boolean;
  requestedBy?: string;
  requestedAt?: string | null;
  signedBy?: string;
  bundleDigest?: string;
}

/** What was known of the attempt when it was voided. */
interface KnownAtVoid {
  commitmentDigest: string;
  randomness: { string: string } | null;
  resultDigest: string | null;
}

/**
 * An sr-draw/v2 void in words: why, who asked and who signed, what was known (randomness, the
 * result's digest), the commitment and the bundle digest the next attempt cites. `sealed`: a
 * covert plan's, whose result is published as its digest only until the plan is executed.
 */
function VoidFacts({
  c,
  content,
  known,
  sealed,
}: {
  c: VoidFactsOf;
  content: unknown;
  known: KnownAtVoid;
  sealed: boolean;
}) {
  const { t, tx, lang } = useI18n();
  const env = readVoidEnvelope(content);
  const listed = c.voidReasons?.[c.reason ?? ''];
  const after = sealed ? t('void.afterRandomnessSealed') : t('void.afterRandomness');
  return (
    <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
      <Descriptions.Item label={t('void.reason')} span={2}>
        <span data-testid="void-reason">
          {tx(`voidReason.${c.reason}`, listed ? listed[lang === 'zh' ? 0 : 1] : t('voidReason.other'))}
        </span>
      </Descriptions.Item>
      <Descriptions.Item label={t('void.attempt', { n: c.attempt ?? 1 })} span={2}>
        {c.afterRandomness ? after : t('void.beforeRandomness')}
      </Descriptions.Item>
      <Descriptions.Item label={t('attempts.voidRequester')}>
        {c.requestedBy} {c.requestedAt && `· ${fmtTime(c.requestedAt)}`}
      </Descriptions.Item>
      <Descriptions.Item label={t('attempts.voidSigner')}>
        <span data-testid="void-signer">{env?.signerName ?? c.signedBy}</span>
        {env?.signedAt && ` · ${fmtTime(env.signedAt)}`}
      </Descriptions.Item>
      <Descriptions.Item label={t('attempts.knownRandomness')} span={2}>
        {known.randomness ? <Mono>{known.randomness.string}</Mono> : t('attempts.notKnown')}
      </Descriptions.Item>
      <Descriptions.Item label={t('attempts.knownResult')} span={2}>
        {known.resultDigest ? <Mono>{known.resultDigest}</Mono> : t('attempts.notKnown')}
      </Descriptions.Item>
      <Descriptions.Item label={t('commitment.digest')} span={2}>
        <Mono>{known.commitmentDigest}</Mono>
      </Descriptions.Item>
      <Descriptions.Item label={t('void.bundleDigest')} span={2}>
        <Mono>{c.bundleDigest ?? ''}</Mono>
      </Descriptions.Item>
    </Descriptions>
  );
}

/**
 * A published void (B2): reason, who asked, who approved (a second person), the digests; an
 * sr-draw/v2 void is verified in the browser on request (at once with `checkAtOnce`).
 */
export function VoidCard({
  header,
  checkAtOnce = false,
}: {
  header: PublicationHeader;
  checkAtOnce?: boolean;
}) {
  const { t } = useI18n();
  const q = usePublication(header.id);
  const [checking, setChecking] = useState(checkAtOnce);
  return (
    <Card
      size="small"
      title={header.title}
      data-testid="void-card"
      extra={<Tag color="red">{t('draws.voided')}</Tag>}
      style={{ marginBottom: 12 }}
    >
      <Loaded query={q}>
        {(p) => {
          const c = p.content as Partial<VoidV2Content>;
          // A covert plan's void before the plan is executed (R10): the signed void and digests.
          const sealed = p.content as { sealed?: unknown } & VoidFactsOf & KnownAtVoid;
          if (c.algorithm === 'sr-draw/v2' && sealed.sealed === true)
            return (
              <>
                <Notice
                  type="info"
                  data-testid="void-sealed"
                  title={t('void.sealed')}
                  description={t('void.sealedNote')}
                />
                <VoidFacts c={sealed} content={p.content} known={sealed} sealed />
              </>
            );
          if (c.algorithm === 'sr-draw/v2' && c.bundle) {
            return (
              <>
                <VoidFacts c={c} content={p.content} known={c.bundle} sealed={false} />
                <div style={{ marginTop: 12 }}>
                  {checking ? (
                    <VoidChecks
                      drawId={header.refId}
                      publicationId={p.id}
                      content={p.content as VoidPublicationForCheck}
                    />
                  ) : (
                    <Button data-testid="void-verify" onClick={() => setChecking(true)}>
                      {t('void.verify')}
                    </Button>
                  )}
                </div>
              </>
            );
          }
          const v = readVoid(p.content);
          return (
            <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
              <Descriptions.Item label={t('void.reason')} span={2}>
                <span data-testid="void-reason">{v.reason}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('void.requestedBy')}>
                {v.requestedBy} · {fmtTime(v.requestedAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t('void.approvedBy')}>
                {v.approvedBy} · {fmtTime(v.approvedAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t('commitment.digest')} span={2}>
                <Mono>{v.commitmentDigest}</Mono>
              </Descriptions.Item>
              {v.resultDigest && (
                <Descriptions.Item label={t('void.resultDigest')} span={2}>
                  <Mono>{v.resultDigest}</Mono>
                </Descriptions.Item>
              )}
            </Descriptions>
          );
        }}
      </Loaded>
    </Card>
  );
}
