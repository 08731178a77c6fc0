import { useQueries } from '@tanstack/react-query';
import { Empty, Table, Tag } from 'antd';
import { Link } from 'react-router';
import { Loaded, Page, usePublications } from '../components/common';
import { useI18n } from '../i18n';
import type { PublicationHeader } from '../lib/publications';
import { publicationFileQuery } from '../components/queries';

/** A 挂牌督办 listing as published (R16: the hazard's wording may be withheld). */
interface Listing {
  unit: { id: string; name: string };
  listingNumber: string;
  supervisingBureau: { name: string };
  listedOn: string;
  deadline: string;
  hazard: { title?: string; text?: string } | null;
}

function readListing(content: unknown): Listing {
  const c = (content ?? {}) as Record<string, unknown>;
  const u = (c.unit ?? {}) as Record<string, unknown>;
  const b = (c.supervisingBureau ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    unit: { id: str(u.id), name: str(u.name) },
    listingNumber: str(c.listingNumber),
    supervisingBureau: { name: str(b.name) },
    listedOn: str(c.listedOn),
    deadline: str(c.deadline),
    hazard: c.hazard ?? null,
  };
}

function Listings({ headers, closedOn }: { headers: PublicationHeader[]; closedOn: Map<string, string> }) {
  const { t } = useI18n();
  const contents = useQueries({
    queries: headers.map((h) => ({
      ...publicationFileQuery(h.id, t),
    })),
  });
  if (!headers.length) return <Empty description={t('common.none')} />;
  const rows = headers.map((header, i) => ({
    header,
    listing: contents[i]?.data ? readListing(contents[i].data.content) : null,
  }));
  return (
    <Table
      data-testid="supervision-table"
      rowKey={(r) => r.header.id}
      dataSource={rows}
      loading={contents.some((c) => c.isPending)}
      pagination={rows.length > 50 ? { pageSize: 50 } : false}
      scroll={{ x: 900 }}
      columns={[
        {
          title: t('results.unitName'),
          render: (_, r) => (
            <Link to={`/publication/${r.header.id}?bureau=${r.header.bureauCode}`}>
              {r.listing?.unit.name ?? r.header.title}
            </Link>
          ),
        },
        { title: t('supervision.number'), render: (_, r) => r.listing?.listingNumber },
        { title: t('supervision.bureau'), render: (_, r) => r.listing?.supervisingBureau.name },
        {
          title: t('supervision.hazard'),
          render: (_, r) => r.listing?.hazard?.title ?? r.listing?.hazard?.text ?? '',
        },
        { title: t('supervision.listedOn'), width: 120, render: (_, r) => r.listing?.listedOn },
        { title: t('supervision.deadline'), width: 120, render: (_, r) => r.listing?.deadline },
        {
          title: t('supervision.status'),
          width: 160,
          render: (_, r) => {
            const closed = closedOn.get(r.header.id);
            return closed !== undefined ? (
              <Tag color="green">{t('supervision.closed', { date: closed })}</Tag>
            ) : (
              <Tag color="red">{t('supervision.open')}</Tag>
            );
          },
        },
      ]}
    />
  );
}

/** 挂牌督办: major hazards listed for supervision (R17), and their closing (销号). */
export default function Supervision() {
  const { t } = useI18n();
  const q = usePublications('supervision');
  const closings = usePublications('supervision-closed');
  const closingContents = useQueries({
    queries: (closings.data ?? []).map((h) => ({
      ...publicationFileQuery(h.id, t),
    })),
  });
  const closedOn = new Map<string, string>();
  for (const [i, h] of (closings.data ?? []).entries()) {
    const c = (closingContents[i]?.data?.content ?? {}) as { closedOn?: unknown };
    if (h.replacesId) closedOn.set(h.replacesId, typeof c.closedOn === 'string' ? c.closedOn : '');
  }
  return (
    <Page title={t('supervision.title')} intro={t('supervision.intro')}>
      <Loaded query={q}>{(rows) => <Listings headers={rows} closedOn={closedOn} />}</Loaded>
    </Page>
  );
}
