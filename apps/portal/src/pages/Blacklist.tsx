import { useQueries } from '@tanstack/react-query';
import { Empty, Table, Tag } from 'antd';
import { INDUSTRIES } from '@spotcheck/core';
import { Link } from 'react-router';
import { Loaded, Page, usePublications } from '../components/common';
import { useI18n } from '../i18n';
import { fmtTime } from '@spotcheck/ui/format';
import { readBlacklist, type BlacklistContent, type PublicationHeader } from '../lib/publications';
import { publicationFileQuery } from '../components/queries';

interface Row {
  header: PublicationHeader;
  content: BlacklistContent | null;
}

function Notices({ headers }: { headers: PublicationHeader[] }) {
  const { t, tx, lang } = useI18n();
  const contents = useQueries({
    queries: headers.map((h) => publicationFileQuery(h.id, t)),
  });
  if (!headers.length) return <Empty description={t('common.none')} />;
  const rows: Row[] = headers.map((header, i) => {
    const data = contents[i]?.data;
    return { header, content: data ? readBlacklist(data.content) : null };
  });
  return (
    <Table<Row>
      data-testid="blacklist-table"
      rowKey={(r) => r.header.id}
      size="middle"
      dataSource={rows}
      loading={contents.some((c) => c.isPending)}
      pagination={rows.length > 50 ? { pageSize: 50 } : false}
      scroll={{ x: 900 }}
      columns={[
        {
          title: t('results.unitName'),
          render: (_, r) => (
            <Link to={`/publication/${r.header.id}?bureau=${r.header.bureauCode}`}>
              {r.content?.unit.name ?? r.header.title}
            </Link>
          ),
        },
        { title: t('results.unitId'), width: 200, render: (_, r) => r.content?.unit.id },
        {
          title: t('results.industry'),
          width: 140,
          render: (_, r) =>
            r.content
              ? (INDUSTRIES[r.content.unit.industry as keyof typeof INDUSTRIES]?.[lang] ??
                r.content.unit.industry)
              : '',
        },
        {
          title: t('blacklist.basis'),
          render: (_, r) =>
            r.content ? (
              <Tag color="red" style={{ whiteSpace: 'normal' }}>
                {r.content.reason
                  ? tx(`blacklist.reason.${r.content.reason}`, r.content.basis)
                  : r.content.basis}
              </Tag>
            ) : null,
        },
        {
          title: t('blacklist.origin'),
          width: 140,
          render: (_, r) => (r.content ? tx(`blacklist.origin.${r.content.origin}`, r.content.origin) : ''),
        },
        {
          title: t('blacklist.effectiveOn'),
          width: 120,
          // A calendar date in China time as published; never shifted by the browser's zone.
          render: (_, r) => <span data-testid="blacklist-date">{r.content?.effectiveOn}</span>,
        },
        {
          title: `${t('common.publishedAt')}（${t('common.chinaTime')}）`,
          width: 190,
          render: (_, r) => fmtTime(r.header.publishedAt),
        },
      ]}
    />
  );
}

/** 黑名单: units blacklisted and exposed publicly (R18), identity and sector only (R16). */
export default function Blacklist() {
  const { t } = useI18n();
  const q = usePublications('blacklist');
  // A unit taken off by credit repair: its removal notice replaces the listing, which leaves the list.
  const removals = usePublications('blacklist-removal');
  const removed = new Set((removals.data ?? []).map((r) => r.replacesId).filter((id) => id !== null));
  return (
    <Page title={t('blacklist.title')} intro={t('blacklist.intro')}>
      <Loaded query={q}>{(rows) => <Notices headers={rows.filter((h) => !removed.has(h.id))} />}</Loaded>
    </Page>
  );
}
