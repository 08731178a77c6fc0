import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { useQueries, useQuery } from '@tanstack/react-query';
import { verifyReplacementsV2, type ReplacementBundle, type ReplacementRecordV2 } from '@spotcheck/core';
import { Card, Space, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { useI18n } from '../../i18n';
import { fmtTime } from '@spotcheck/ui/format';
import { prettyJson } from '../../lib/publications';
import { useTRPC } from '@spotcheck/ui/trpc';
import { DownloadButton } from '../common';
import { publicationFileQuery } from '../queries';

interface ReplacementContent {
  record: ReplacementRecordV2;
  inspectors?: Record<string, { name: string; certificateNo: string }>;
}

/**
 * Team member replacements of a draw (sr-draw/v2 §9.6), each a numbered public record, recomputed
 * here in the browser: the replacement must be the next eligible inspector of the unit's committed
 * shuffle. Also offers the three files the offline checks take (bundle.json, registry.json,
 * replacements.json).
 */
export function ReplacementsCard({
  drawId,
  bureauCode,
  bundle,
  registry,
  unitName,
}: {
  drawId: string;
  bureauCode: string;
  bundle: unknown;
  registry: unknown;
  unitName: (id: string) => string | undefined;
}) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const heads = useQuery(
    trpc.publications.list.queryOptions({ bureauCode, kind: 'replacement', limit: 500, offset: 0 }),
  );
  const mine = (heads.data ?? []).filter((h) => h.refId === drawId);
  // `combine`'s result is structurally shared: `contents` keeps its identity until a record changes.
  const contents = useQueries({
    queries: mine.map((h) => publicationFileQuery(h.id, t)),
    combine: (full) =>
      full
        .map((q) => q.data?.content as ReplacementContent | undefined)
        .filter((c): c is ReplacementContent => !!c)
        .sort((a, b) => a.record.number - b.record.number),
  });
  const records = useMemo(() => contents.map((c) => c.record), [contents]);
  const report = useMemo(
    () => (records.length ? verifyReplacementsV2(bundle as ReplacementBundle, records) : null),
    [bundle, records],
  );
  const names: Record<string, { name: string }> = Object.assign(
    {},
    ...contents.map((c) => c.inspectors ?? {}),
  );
  const person = (id: string) => names[id]?.name ?? id;
  const statusOf = (n: number) => report?.checks.find((c) => c.id === `replacement.${n}`);
  const stem = `draw-${bureauCode}-${drawId.slice(0, 8)}`;
  return (
    <Card
      title={`${t('v2.replacements')}（${records.length}）`}
      style={{ marginTop: 16 }}
      data-testid="draw-replacements"
      extra={
        <Space wrap>
          <DownloadButton
            filename="bundle.json"
            json={prettyJson(bundle)}
            label="bundle.json"
            testId="download-bundle-json"
          />
          {registry ? (
            <DownloadButton
              filename="registry.json"
              json={prettyJson(registry)}
              label="registry.json"
              testId="download-registry-json"
            />
          ) : null}
          <DownloadButton
            filename={`${stem}-replacements.json`}
            json={prettyJson(records)}
            label="replacements.json"
            testId="download-replacements-json"
          />
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('v2.replacements.intro')}</Typography.Paragraph>
      {records.length > 0 && (
        <Table
          size="small"
          rowKey="number"
          pagination={false}
          dataSource={records}
          scroll={{ x: 720 }}
          columns={[
            { title: t('v2.replacements.number'), dataIndex: 'number', width: 60 },
            {
              title: t('draw.unit'),
              dataIndex: 'unit',
              width: 220,
              render: (u: string) => (
                <>
                  {unitName(u) && <div>{unitName(u)}</div>}
                  <Typography.Text code>{u}</Typography.Text>
                </>
              ),
            },
            {
              title: t('v2.replacements.change'),
              key: 'change',
              render: (_: unknown, r: ReplacementRecordV2) => `${person(r.out)} → ${person(r.in)}`,
            },
            {
              title: t('v2.replacements.reason'),
              dataIndex: 'reason',
              width: 130,
              render: (x: string) => (
                <Tag>{t(`v2.replacements.reason.${x === 'avoid' ? 'avoid' : 'unavailable'}`)}</Tag>
              ),
            },
            {
              title: t('v2.replacements.skipped'),
              dataIndex: 'skipped',
              render: (s: [string, string][]) =>
                s.length
                  ? s
                      .map(
                        ([id, why]) =>
                          `${person(id)}（${t(`v2.replacements.reason.${why === 'avoid' ? 'avoid' : 'unavailable'}`)}）`,
                      )
                      .join('、')
                  : '—',
            },
            {
              title: t('v2.replacements.at'),
              dataIndex: 'recordedAt',
              width: 160,
              render: (x: string) => fmtTime(x),
            },
            {
              title: t('v2.replacements.check'),
              key: 'check',
              width: 200,
              render: (_: unknown, r: ReplacementRecordV2) => {
                const c = statusOf(r.number);
                const ok = c?.status === 'pass';
                return (
                  <span data-testid={`replacement-check-${r.number}`}>
                    {ok ? (
                      <CheckCircleFilled style={{ color: '#16a34a' }} />
                    ) : (
                      <CloseCircleFilled style={{ color: '#dc2626' }} />
                    )}{' '}
                    {ok ? t('v2.replacements.ok') : t('v2.replacements.bad')}
                  </span>
                );
              },
            },
          ]}
        />
      )}
    </Card>
  );
}
