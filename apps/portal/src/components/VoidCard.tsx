import { Button, Card, Descriptions, Tag } from 'antd';
import { Notice } from '@spotcheck/ui/notice';
import { useState } from 'react';
import { useI18n } from '../i18n';
import { fmtTime } from '@spotcheck/ui/format';
import { readVoid, type PublicationHeader } from '../lib/publications';
import { readVoidEnvelope } from '../lib/v2';
import { Loaded, Mono, usePublication } from './common';
import { VoidChecks, type VoidPublicationForCheck } from './v2/VoidChecks';

interface VoidV2Content {
  algorithm: 'sr-draw/v2';
  attempt: number;
  reason: string;
  voidReasons?: Record<string, [string, string]>;
  afterRandomness: boolean;
  bundle: {
    commitmentDigest: string;
    randomness: { string: string } | null;
    resultDigest: string | null;
  };
  bundleDigest: string;
  requestedBy: string;
  requestedAt: string | null;
  signedBy: string;
}

/** A covert plan's void before the plan is executed (R10): the signed void and digests only. */
interface SealedVoidContent {
  attempt: number;
  reason: string;
  voidReasons?: Record<string, [string, string]>;
  afterRandomness: boolean;
  commitmentDigest: string;
  randomness: { string: string } | null;
  resultDigest: string | null;
  bundleDigest: string;
  requestedBy: string;
  requestedAt: string | null;
  signedBy: string;
}

/**
 * A covert plan's sealed void: who asked, who signed, what was known, the digests that fix the
 * attempt now, and that its units, officers and teams come with the executed plan (checked then).
 */
function SealedVoid({ content: c }: { content: SealedVoidContent }) {
  const { t, tx, lang } = useI18n();
  const listed = c.voidReasons?.[c.reason];
  const env = readVoidEnvelope(c);
  return (
    <>
      <Notice
        type="info"
        data-testid="void-sealed"
        title={t('void.sealed')}
        description={t('void.sealedNote')}
      />
      <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
        <Descriptions.Item label={t('void.reason')} span={2}>
          <span data-testid="void-reason">
            {tx(`voidReason.${c.reason}`, listed ? listed[lang === 'zh' ? 0 : 1] : t('voidReason.other'))}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('void.attempt', { n: c.attempt ?? 1 })} span={2}>
          {c.afterRandomness ? t('void.afterRandomnessSealed') : t('void.beforeRandomness')}
        </Descriptions.Item>
        <Descriptions.Item label={t('attempts.voidRequester')}>
          {c.requestedBy} {c.requestedAt && `· ${fmtTime(c.requestedAt)}`}
        </Descriptions.Item>
        <Descriptions.Item label={t('attempts.voidSigner')}>
          <span data-testid="void-signer">{env?.signerName ?? c.signedBy}</span>
          {env?.signedAt && ` · ${fmtTime(env.signedAt)}`}
        </Descriptions.Item>
        <Descriptions.Item label={t('attempts.knownRandomness')} span={2}>
          {c.randomness ? <Mono>{c.randomness.string}</Mono> : t('attempts.notKnown')}
        </Descriptions.Item>
        <Descriptions.Item label={t('attempts.knownResult')} span={2}>
          {c.resultDigest ? <Mono>{c.resultDigest}</Mono> : t('attempts.notKnown')}
        </Descriptions.Item>
        <Descriptions.Item label={t('commitment.digest')} span={2}>
          <Mono>{c.commitmentDigest}</Mono>
        </Descriptions.Item>
        <Descriptions.Item label={t('void.bundleDigest')} span={2}>
          <Mono>{c.bundleDigest}</Mono>
        </Descriptions.Item>
      </Descriptions>
    </>
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
  const { t, tx, lang } = useI18n();
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
          if (c.algorithm === 'sr-draw/v2' && (p.content as { sealed?: unknown }).sealed === true)
            return <SealedVoid content={p.content as SealedVoidContent} />;
          if (c.algorithm === 'sr-draw/v2' && c.bundle) {
            const env = readVoidEnvelope(p.content);
            const listed = c.voidReasons?.[c.reason ?? ''];
            const reason = tx(
              `voidReason.${c.reason}`,
              listed ? listed[lang === 'zh' ? 0 : 1] : t('voidReason.other'),
            );
            return (
              <>
                <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
                  <Descriptions.Item label={t('void.reason')} span={2}>
                    <span data-testid="void-reason">{reason}</span>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('void.attempt', { n: c.attempt ?? 1 })} span={2}>
                    {c.afterRandomness ? t('void.afterRandomness') : t('void.beforeRandomness')}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('attempts.voidRequester')}>
                    {c.requestedBy} {c.requestedAt && `· ${fmtTime(c.requestedAt)}`}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('attempts.voidSigner')}>
                    <span data-testid="void-signer">{env?.signerName ?? c.signedBy}</span>
                    {env?.signedAt && ` · ${fmtTime(env.signedAt)}`}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('attempts.knownRandomness')} span={2}>
                    {c.bundle.randomness ? <Mono>{c.bundle.randomness.string}</Mono> : t('attempts.notKnown')}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('attempts.knownResult')} span={2}>
                    {c.bundle.resultDigest ? <Mono>{c.bundle.resultDigest}</Mono> : t('attempts.notKnown')}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('commitment.digest')} span={2}>
                    <Mono>{c.bundle.commitmentDigest}</Mono>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('void.bundleDigest')} span={2}>
                    <Mono>{c.bundleDigest ?? ''}</Mono>
                  </Descriptions.Item>
                </Descriptions>
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
