import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { Descriptions, Space, Table, Tag, Typography } from 'antd';
import { packName, stratumName } from '@spotcheck/core';
import { ShortId } from '@spotcheck/ui/ids';
import { useBureaus } from '@spotcheck/ui/trpc';
import { Mono } from './common';
import { SourceLine } from './v2/Sources';
import { useI18n } from '../i18n';
import { fmtTime } from '@spotcheck/ui/format';
import type { CommitmentFacts } from '../lib/publications';
import { Notice } from '@spotcheck/ui/notice';

function Check({ ok, yes, no, testId }: { ok: boolean; yes: string; no: string; testId: string }) {
  return ok ? (
    <Tag color="success" icon={<CheckCircleFilled />} data-testid={testId} data-status="ok">
      {yes}
    </Tag>
  ) : (
    <Tag color="error" icon={<CloseCircleFilled />} data-testid={testId} data-status="bad">
      {no}
    </Tag>
  );
}

/** The key facts of a commitment, each digest re-checked in this browser. */
export function CommitmentView({ facts, title }: { facts: CommitmentFacts; title?: string }) {
  const { t, tx, lang } = useI18n();
  const bureaus = useBureaus();
  const rowsOk =
    facts.frameMatches !== false &&
    facts.inspectorsMatch !== false &&
    facts.excludedMatch !== false &&
    facts.expertsMatch !== false;
  const v2 = facts.algorithm === 'sr-draw/v2';
  return (
    <div data-testid="commitment-facts">
      {facts.sealed && (
        <Notice
          type="info"
          data-testid="commitment-sealed"
          title={t('commitment.sealed')}
          description={t('commitment.sealedNote')}
        />
      )}
      <Space wrap style={{ marginBottom: 12 }} hidden={facts.sealed}>
        <Check
          ok={facts.digestMatches}
          yes={t('commitment.digestOk')}
          no={t('commitment.digestBad')}
          testId="commitment-digest-check"
        />
        {(facts.frameMatches !== null || facts.inspectorsMatch !== null) && (
          <Check
            ok={rowsOk}
            yes={t('commitment.rowsOk')}
            no={t('commitment.rowsBad')}
            testId="commitment-rows-check"
          />
        )}
      </Space>
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} title={title}>
        <Descriptions.Item label={t('commitment.plan')}>
          <ShortId id={facts.planId} /> · {bureaus.name(facts.bureau)}
        </Descriptions.Item>
        <Descriptions.Item label={t('commitment.period')}>{facts.period}</Descriptions.Item>
        <Descriptions.Item label={t('commitment.kind')}>
          {tx(`planKind.${facts.kind}`, facts.kind)}
        </Descriptions.Item>
        <Descriptions.Item label={t('commitment.committedAt')}>
          {fmtTime(facts.committedAt)}
        </Descriptions.Item>
        <Descriptions.Item label={t('commitment.frame')}>
          {t('commitment.frameCount', { n: facts.frameCount })}
          <br />
          <Mono>{facts.frameDigest}</Mono>
        </Descriptions.Item>
        <Descriptions.Item label={t('commitment.inspectors')}>
          {t('commitment.inspectorCount', { n: facts.inspectorCount })}
          <br />
          <Mono>{facts.inspectorsDigest}</Mono>
        </Descriptions.Item>
        {v2 && (
          <Descriptions.Item label={t('commitment.excluded')}>
            {t('commitment.frameCount', { n: facts.excludedCount ?? 0 })}
            <br />
            <Mono>{facts.excludedDigest}</Mono>
          </Descriptions.Item>
        )}
        {v2 && (
          <Descriptions.Item label={t('commitment.experts')}>
            {t('commitment.expertCount', { n: facts.expertCount ?? 0 })}
            <br />
            <Mono>{facts.expertsDigest}</Mono>
          </Descriptions.Item>
        )}
        {v2 && (
          <Descriptions.Item label={t('commitment.attempt')}>
            {t('attempts.attempt', { n: facts.attempt })}
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('commitment.team')}>
          {facts.team?.assign
            ? t('commitment.teamValue', {
                n: facts.team.size,
                s: facts.team.specialist ? t('commitment.teamSpecialist') : '',
              })
            : t('commitment.noTeam')}
        </Descriptions.Item>
        <Descriptions.Item label={t('commitment.rulePack')}>
          {facts.rulePacks.length
            ? facts.rulePacks.map((r) => packName(r.id, r.version, lang, bureaus.name)).join('、')
            : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('commitment.checklist')}>
          {facts.checklist ? (
            <>
              <ShortId id={facts.checklist.id} /> · v{facts.checklist.version}
            </>
          ) : (
            '—'
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('commitment.digest')}>
          <Mono>{facts.commitmentDigest}</Mono>
        </Descriptions.Item>
        <Descriptions.Item label={t('commitment.sources')} span={2}>
          <div data-testid="commitment-sources">
            {v2
              ? facts.rawSources.map((s, i) => (
                  <div key={i}>
                    {i + 1}. <SourceLine source={s} />
                  </div>
                ))
              : facts.sources.map((s, i) => (
                  <div key={i}>
                    {i + 1}.{' '}
                    {t('commitment.sourceLine', {
                      name: s.name,
                      kind: tx(`commitment.source.${s.kind}`, s.kind),
                      issue: s.issue,
                    })}
                  </div>
                ))}
          </div>
        </Descriptions.Item>
      </Descriptions>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('commitment.strata')}
      </Typography.Title>
      <Table
        data-testid="commitment-strata"
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={facts.strata}
        columns={[
          {
            title: t('commitment.stratum'),
            dataIndex: 'id',
            render: (id: string) => <span title={id}>{stratumName(id, lang)}</span>,
          },
          {
            title: t('commitment.method'),
            dataIndex: 'method',
            render: (m: string) => tx(`commitment.method.${m}`, m),
          },
          { title: t('commitment.quota'), dataIndex: 'quota' },
        ]}
      />
    </div>
  );
}
