import { Alert, Card, Col, Descriptions, Row, Space, Table, Typography } from 'antd';
import { type DrawBundle, type Overload } from '@spotcheck/core';
import { Link, useParams } from 'react-router';
import { CommitmentView } from '../components/CommitmentView';
import { SelectedUnitsCard } from '../components/SelectedUnits';
import { DownloadButton, Loaded, Mono, Page, usePublication, usePublications } from '../components/common';
import { Verifier } from '../components/Verifier';
import { DrawCommitmentTime, InclusionProof } from '../components/LogProof';
import { planBureauOf } from '../components/v2/logProof';
import { StrataTable } from '@spotcheck/ui/draw';
import { useI18n } from '../i18n';
import { fmtTime } from '@spotcheck/ui/format';
import { commitmentFacts, downloadName, prettyJson, voidedDrawIds } from '../lib/publications';
import { isV2Bundle } from '../lib/v2';
import { DrawV2, DrawV2Download, type DrawRosterV2 } from '../components/v2/DrawV2';
import { usePublishedRegistry } from '../components/v2/registry';
import type { SignOff } from '../lib/verify';

function SignOffView({ signOff }: { signOff: SignOff | null }) {
  const { t } = useI18n();
  if (!signOff) return <Alert type="warning" message={t('draw.unsigned')} />;
  return (
    <Descriptions bordered size="small" column={1} data-testid="draw-signoff">
      <Descriptions.Item label={t('draw.signer')}>{signOff.signer}</Descriptions.Item>
      <Descriptions.Item label={t('draw.signedAt')}>{fmtTime(signOff.signedAt)}</Descriptions.Item>
      <Descriptions.Item label={t('draw.publicKey')}>
        <Mono>{signOff.publicKey}</Mono>
      </Descriptions.Item>
      <Descriptions.Item label={t('draw.signature')}>
        <Mono>{signOff.signature}</Mono>
      </Descriptions.Item>
    </Descriptions>
  );
}

/**
 * B1: the commitment this draw used was published before its result. Finds that publication,
 * checks its digest equals the bundle's and that it came first, and shows when it was published
 * (covert plans publish the digest only).
 */
function CommitmentPrecedence({
  drawId,
  bureauCode,
  digest,
  drawPublishedAt,
}: {
  drawId: string;
  bureauCode: string;
  digest: string;
  drawPublishedAt: string;
}) {
  const { t } = useI18n();
  const headers = usePublications('commitment', 500, bureauCode);
  const header = headers.data?.find((h) => h.refId === drawId);
  const full = usePublication(header?.id ?? '');
  if (!header || !full.data) return null;
  const published = (full.data.content as { commitmentDigest?: string }).commitmentDigest;
  const earlier = Date.parse(String(header.publishedAt)) <= Date.parse(drawPublishedAt);
  const ok = published === digest && earlier;
  return (
    <Alert
      style={{ marginBottom: 16 }}
      showIcon
      type={ok ? 'success' : 'error'}
      data-testid="commitment-precedence"
      data-status={ok ? 'ok' : 'bad'}
      message={
        ok
          ? t('draw.commitmentEarlier', { at: fmtTime(String(header.publishedAt)) })
          : t('draw.commitmentDiffers')
      }
      description={<Link to={`/commitments/${header.id}`}>{header.title}</Link>}
    />
  );
}

/** Public names published beside the id-only bundle (older publications have none). */
interface DrawRoster {
  units: Record<string, { name: string; industry: string }>;
  inspectors: Record<string, { name: string; certificateNo: string }>;
}

function ResultView({ bundle, roster }: { bundle: DrawBundle; roster?: DrawRoster }) {
  const { t } = useI18n();
  const result = bundle.result;
  return (
    <>
      <Card title={t('draw.strata')} style={{ marginTop: 16 }}>
        <StrataTable result={result} testId="draw-strata" />
      </Card>
      <SelectedUnitsCard
        rows={result.selected}
        names={roster}
        extra={[
          {
            title: t('draw.key'),
            dataIndex: 'key',
            render: (k: string) => (
              <Typography.Text code title={k} style={{ fontSize: 12 }}>
                {k.slice(0, 16)}…
              </Typography.Text>
            ),
          },
        ]}
      />
      {result.overloads.length > 0 && (
        <Card title={t('draw.overloads')} style={{ marginTop: 16 }}>
          <Table<Overload>
            size="small"
            rowKey="inspector"
            pagination={false}
            dataSource={result.overloads}
            columns={[
              { title: 'inspector', dataIndex: 'inspector' },
              { title: 'load', dataIndex: 'load' },
              { title: 'capacity', dataIndex: 'capacity' },
            ]}
          />
        </Card>
      )}
    </>
  );
}

/** One signed draw: the in-browser verifier, the sign-off, the commitment, randomness and result. */
export default function DrawDetail() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const q = usePublication(id);
  const voids = usePublications('void', 500, q.data?.bureauCode);
  // The registry of the bureau the bundle's plan names (signed), not of the publication's row.
  const content: unknown = q.data?.content;
  const registry = usePublishedRegistry(
    planBureauOf((content as { bundle?: unknown } | undefined)?.bundle) ?? q.data?.bureauCode,
  );
  return (
    <Loaded query={q}>
      {(p) => {
        const content = p.content as { bundle: DrawBundle; signOff: SignOff | null; roster?: DrawRoster };
        const bundle = content.bundle;
        const voided = voidedDrawIds(voids.data ?? []).has(p.refId);
        if (isV2Bundle(bundle)) {
          const v2 = p.content as {
            bundle: unknown;
            registry?: unknown;
            registryInclusion?: unknown;
            registryHistory?: unknown;
            roster?: DrawRosterV2;
          };
          // The verification package: the bundle (its sign-off and commitment proof inside), the
          // registry the bureau published with its log proof, and the witnesses, which
          // `spotcheck verify FILE` and /verify accept.
          return (
            <Page
              title={p.title}
              extra={
                <Space wrap>
                  <Link to="/draws">{t('common.back')}</Link>
                  <DrawV2Download
                    drawId={p.refId}
                    bundle={v2.bundle}
                    filename={downloadName(p, '-bundle')}
                    registry={registry}
                    registryAtSigning={v2.registry}
                    registryInclusion={v2.registryInclusion}
                    registryHistory={v2.registryHistory}
                    publication={p}
                  />
                  <DownloadButton filename={downloadName(p)} json={prettyJson(p.content)} />
                </Space>
              }
            >
              {voided && (
                <Alert
                  type="error"
                  showIcon
                  style={{ marginBottom: 16 }}
                  message={t('draws.voided')}
                  description={t('draws.voidsIntro')}
                />
              )}
              <CommitmentPrecedence
                drawId={p.refId}
                bureauCode={p.bureauCode}
                digest={bundle.commitmentDigest}
                drawPublishedAt={String(p.publishedAt)}
              />
              <DrawV2
                drawId={p.refId}
                bundle={v2.bundle}
                roster={v2.roster}
                registry={registry}
                registryAtSigning={v2.registry}
                registryInclusion={v2.registryInclusion}
                registryHistory={v2.registryHistory}
                publication={p}
              />
              {/* The page's content (names included) against what the log recorded. */}
              <InclusionProof publication={p} />
            </Page>
          );
        }
        return (
          <Page
            title={p.title}
            extra={
              <Space wrap>
                <Link to="/draws">{t('common.back')}</Link>
                <DownloadButton
                  filename={downloadName(p, '-bundle')}
                  json={prettyJson(bundle)}
                  label={t('draw.downloadBundle')}
                  testId="bundle-download"
                />
                <DownloadButton filename={downloadName(p)} json={prettyJson(p.content)} />
              </Space>
            }
          >
            {voided && (
              <Alert
                type="error"
                showIcon
                style={{ marginBottom: 16 }}
                message={t('draws.voided')}
                description={t('draws.voidsIntro')}
              />
            )}
            <DrawCommitmentTime drawId={p.refId} commitmentDigest={bundle.commitmentDigest} />
            <CommitmentPrecedence
              drawId={p.refId}
              bureauCode={p.bureauCode}
              digest={bundle.commitmentDigest}
              drawPublishedAt={String(p.publishedAt)}
            />
            <Row gutter={16}>
              <Col xs={24} xl={12}>
                <Verifier bundle={bundle} signOff={content.signOff} publicationId={p.id} />
              </Col>
              <Col xs={24} xl={12}>
                <Card title={t('draw.signOff')} style={{ height: '100%' }}>
                  <SignOffView signOff={content.signOff} />
                </Card>
              </Col>
            </Row>
            <Card title={t('commitments.title')} style={{ marginTop: 16 }}>
              <CommitmentView facts={commitmentFacts(bundle)} />
            </Card>
            <Card title={t('draw.randomness')} style={{ marginTop: 16 }}>
              <Descriptions bordered size="small" column={1}>
                {bundle.commitment.sources.map((s, i) => (
                  <Descriptions.Item key={i} label={`${s.name} · ${s.issue}`}>
                    <Typography.Text code>{JSON.stringify(bundle.randomness.values[i])}</Typography.Text>
                  </Descriptions.Item>
                ))}
                <Descriptions.Item label={t('draw.randomnessString')}>
                  <Mono>{bundle.randomness.string}</Mono>
                </Descriptions.Item>
              </Descriptions>
            </Card>
            <ResultView bundle={bundle} roster={content.roster} />
            <InclusionProof publication={p} />
          </Page>
        );
      }}
    </Loaded>
  );
}
