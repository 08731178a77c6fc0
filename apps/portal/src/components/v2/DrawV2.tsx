import { useMemo } from 'react';
import { Card, Col, Descriptions, Row, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { StrataTable } from '@spotcheck/ui/draw';
import { useI18n } from '../../i18n';
import { fmtTime } from '@spotcheck/ui/format';
import { commitmentFacts, prettyJson, type PublicationHeader } from '../../lib/publications';
import { keyState, type RegistryKey } from '../../lib/v2';
import { CommitmentView } from '../CommitmentView';
import { officerName, SelectedUnitsCard } from '../SelectedUnits';
import { DownloadButton, Mono, usePublication, usePublications } from '../common';
import { AttemptChain } from './Attempts';
import { ChecksCard } from './ChecksCard';
import { ExclusionsCard } from './Exclusions';
import { RosterChangesCard } from './RosterChanges';
import { ReplacementsCard } from './Replacements';
import { SourcesCard } from './Sources';
import { DrawCommitmentTime } from '../LogProof';
import { firstSourceTime, useDrawLogProof } from './logProof';

/** Public names published beside a v2 bundle. */
export interface DrawRosterV2 {
  units: Record<string, { name: string; industry: string }>;
  inspectors: Record<string, { name: string; certificateNo: string }>;
  experts?: Record<string, { name: string }>;
}

interface BundleV2View {
  commitment: { plan: { bureau: string }; sources: unknown[] };
  commitmentDigest: string;
  excluded: unknown;
  randomness: { values: unknown[]; string: string };
  result: {
    selected: {
      unit: string;
      stratum: string;
      reason: string;
      sequence: number;
      key: string;
      team: string[];
      expert: string | null;
    }[];
    strata: { id: string; quota: number; selected: number; shortfall: number; threshold: string | null }[];
    overloads: { kind: string; id: string; load: number; capacity: number }[];
  };
  signOff: {
    signer: { id: string; name: string; keyId: string };
    signedAt: string;
    signature: string;
  } | null;
}

function SignOffV2({ bundle, keys }: { bundle: BundleV2View; keys: RegistryKey[] | undefined }) {
  const { t } = useI18n();
  const so = bundle.signOff;
  if (!so) return <Typography.Text type="danger">{t('draw.unsigned')}</Typography.Text>;
  const key = keys?.find((k) => k.keyId === so.signer.keyId);
  const state = key ? keyState(key, new Date(so.signedAt)) : null;
  return (
    <Descriptions bordered size="small" column={1} data-testid="draw-signoff">
      <Descriptions.Item label={t('draw.signer')}>{so.signer.name}</Descriptions.Item>
      <Descriptions.Item label={t('draw.signedAt')}>{fmtTime(so.signedAt)}</Descriptions.Item>
      <Descriptions.Item label={t('v2.keyId')}>
        <Mono>{so.signer.keyId}</Mono>
        <div style={{ marginTop: 4 }}>
          {key ? (
            <Tag color={state === 'valid' ? 'success' : 'error'} data-testid="signoff-key-state">
              {t('keys.title')}：{t(`keys.state.${state!}`)}
            </Tag>
          ) : (
            <Tag color={keys ? 'error' : 'default'} data-testid="signoff-key-state">
              {t('v2.registryMissing')}
            </Tag>
          )}
        </div>
      </Descriptions.Item>
      <Descriptions.Item label={t('draw.signatureHex')}>
        <Mono>{so.signature}</Mono>
      </Descriptions.Item>
    </Descriptions>
  );
}

function ResultV2({ bundle, roster }: { bundle: BundleV2View; roster?: DrawRosterV2 }) {
  const { t, tx } = useI18n();
  const r = bundle.result;
  const person = (id: string) => officerName(roster, id);
  return (
    <>
      <Card title={t('draw.strata')} style={{ marginTop: 16 }}>
        <StrataTable result={r} testId="draw-strata" />
      </Card>
      <SelectedUnitsCard
        rows={r.selected}
        names={roster}
        extra={[
          {
            title: t('draw.expert'),
            dataIndex: 'expert',
            width: 120,
            render: (e: string | null) => (e ? (roster?.experts?.[e]?.name ?? e) : '—'),
          },
        ]}
      />
      {r.overloads.length > 0 && (
        <Card title={t('draw.overloads')} style={{ marginTop: 16 }}>
          <Table
            size="small"
            rowKey={(o) => `${o.kind}|${o.id}`}
            pagination={false}
            dataSource={r.overloads}
            columns={[
              {
                title: t('draw.overloadKind'),
                dataIndex: 'kind',
                render: (k: string) => tx(`draw.overloadKind.${k}`, k),
              },
              { title: t('draw.overloadWho'), dataIndex: 'id', render: (id: string) => person(id) },
              { title: t('draw.overloadLoad'), dataIndex: 'load' },
              { title: t('draw.overloadCapacity'), dataIndex: 'capacity' },
            ]}
          />
        </Card>
      )}
    </>
  );
}

/**
 * An sr-draw/v2 draw: every check on its own line, the sign-off against the published registry,
 * the attempt chain and every commitment of the period, the commitment with its exclusions and
 * roster changes, the sources with their values, and the result.
 */
export function DrawV2({
  drawId,
  bundle: published,
  roster,
  registry: latestRegistry,
  registryAtSigning,
  registryInclusion,
  registryHistory,
  publication,
}: {
  drawId: string;
  bundle: unknown;
  roster?: DrawRosterV2;
  registry: {
    state: 'loading' | 'none' | 'ok' | 'error';
    document?: unknown;
    registry?: { keys: RegistryKey[] };
  };
  /** The registry published beside the bundle (the one in force at signing). */
  registryAtSigning?: unknown;
  /** Its inclusion in a witnessed checkpoint (§9.7), when the draw publication carries one. */
  registryInclusion?: unknown;
  /** Earlier registry versions with their proofs (when each key was first logged, §9.7). */
  registryHistory?: unknown;
  /** The draw's publication (its content holds `bundle`): the page dates its sign-off by the log (§9.7). */
  publication?: { id: string; content: unknown };
}) {
  const { t } = useI18n();
  const signed = useMemo(
    () =>
      publication ? { id: publication.id, content: publication.content, of: 'draw' as const } : undefined,
    [publication],
  );
  const proof = useDrawLogProof(
    drawId,
    published,
    registryAtSigning,
    registryInclusion,
    latestRegistry,
    registryHistory,
    signed,
  );
  const raw = proof.bundle;
  const registry = proof.registry;
  const bundle = raw as BundleV2View;
  const bureau = bundle.commitment.plan.bureau;
  const commitments = usePublications('commitment', 500, bureau);
  const header: PublicationHeader | undefined = commitments.data?.find((h) => h.refId === drawId);
  const commitmentPub = usePublication(header?.id ?? '');
  // A commitment's content is typed `object`: read the one field this page shows.
  const commitmentContent: { rosterChanges?: unknown } | undefined = commitmentPub.data?.content;
  const rosterChanges = commitmentContent?.rosterChanges;
  return (
    <>
      <DrawCommitmentTime
        drawId={drawId}
        commitmentDigest={bundle.commitmentDigest}
        firstSourceTime={firstSourceTime(bundle.commitment.sources)}
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <ChecksCard
            bundle={raw}
            registry={registry.document}
            registryState={proof.loading ? 'loading' : registry.state}
            bureauCode={bureau}
            log={proof.log}
          />
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t('draw.signOff')}>
            <SignOffV2 bundle={bundle} keys={registry.state === 'ok' ? registry.registry?.keys : undefined} />
            <div style={{ marginTop: 8 }}>
              <Link to={`/keys?bureau=${bureau}`}>{t('keys.view')}</Link>
            </div>
          </Card>
        </Col>
      </Row>
      <AttemptChain
        commitment={bundle.commitment}
        commitmentDigest={bundle.commitmentDigest}
        bureauCode={bureau}
      />
      <Card title={t('commitments.title')} style={{ marginTop: 16 }}>
        <CommitmentView facts={commitmentFacts(raw)} />
      </Card>
      <ExclusionsCard excluded={bundle.excluded} fileStem={`draw-${bureau}-${drawId.slice(0, 8)}`} />
      {commitmentPub.data && <RosterChangesCard changes={rosterChanges} />}
      <SourcesCard
        sources={bundle.commitment.sources}
        values={bundle.randomness.values}
        string={bundle.randomness.string}
      />
      <ResultV2 bundle={bundle} roster={roster} />
      <ReplacementsCard
        drawId={drawId}
        bureauCode={bureau}
        bundle={raw}
        registry={registry.document}
        unitName={(u) => roster?.units[u]?.name}
      />
    </>
  );
}

/**
 * The verification package of a v2 draw, as `spotcheck verify FILE` and /verify take it: the bundle
 * with its commitment's inclusion proof, the registry (with its own proof when there is one) and
 * the city's witnesses both proofs are checked against.
 */
export function DrawV2Download({
  drawId,
  bundle,
  filename,
  registry,
  registryAtSigning,
  registryInclusion,
  registryHistory,
  publication,
}: {
  drawId: string;
  bundle: unknown;
  filename: string;
  /** The draw's publication: the package carries its sign-off's record and the newest registry (§9.7). */
  publication?: { id: string; content: unknown };
  registry: { state: 'loading' | 'none' | 'ok' | 'error'; document?: unknown };
  registryAtSigning?: unknown;
  registryInclusion?: unknown;
  registryHistory?: unknown;
}) {
  const { t } = useI18n();
  const signed = useMemo(
    () =>
      publication ? { id: publication.id, content: publication.content, of: 'draw' as const } : undefined,
    [publication],
  );
  const proof = useDrawLogProof(
    drawId,
    bundle,
    registryAtSigning,
    registryInclusion,
    registry,
    registryHistory,
    signed,
  );
  const pkg = {
    bundle: proof.bundle,
    registry: proof.registry.document ?? registryAtSigning ?? null,
    ...(proof.registryInclusion ? { registryInclusion: proof.registryInclusion } : {}),
    ...(proof.registryHistory ? { registryHistory: proof.registryHistory } : {}),
    witnesses: proof.witnesses,
    // §9.7: the sign-off's record in its witnessed checkpoint and the bureau's newest registry.
    // (A record's: a draw's own publication proves nothing without the whole content beside it.)
    ...(proof.log?.signOff?.inclusion && proof.log.signOff.content === undefined
      ? { signOffInclusion: proof.log.signOff.inclusion }
      : {}),
    ...(proof.log?.currentRegistry
      ? {
          currentRegistry: proof.log.currentRegistry.registry,
          ...(proof.log.currentRegistry.history
            ? { currentRegistryHistory: proof.log.currentRegistry.history }
            : {}),
          ...(proof.log.currentRegistry.inclusion
            ? { currentRegistryInclusion: proof.log.currentRegistry.inclusion }
            : {}),
        }
      : {}),
  };
  return (
    <DownloadButton
      filename={filename}
      json={prettyJson(pkg)}
      label={t('v2.download')}
      testId="bundle-download"
    />
  );
}
