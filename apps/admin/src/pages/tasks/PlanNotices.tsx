import { PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Pagination, Space, Typography } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { ErrorAlert } from '../../components/common';
import { useI18n } from '../../i18n';
import { useFitPage, usePage } from '../../lib/paging';
import { useTRPC } from '@spotcheck/ui/trpc';
import { NoticeSheet } from './Notice';

/** Draw sequences printed at once: a city plan has 10^5 tasks, printed a batch at a time. */
const NOTICE_BATCH = 500;
/**
 * Notices asked for a batch: a voided attempt's done tasks keep their sequences beside the next
 * attempt's, so a batch of 500 sequences can hold more than 500 notices (the server's page cap).
 */
const NOTICE_ROWS = 5000;

/**
 * Every inspection notice of a plan on one printable page (print → PDF), in batches of
 * {@link NOTICE_BATCH} draw sequences (1–500, 501–1000, …): one sheet per task in draw order, each
 * on its own page. A batch is a range of sequences, not an offset, so a task cancelled between
 * two batches neither shifts a notice into the batch already printed nor prints one twice. Covert
 * tasks stay sealed until their team starts (R10).
 */
export default function PlanNoticesPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const trpc = useTRPC();
  const navigate = useNavigate();
  const paging = usePage(NOTICE_BATCH, id);
  const from = paging.input.offset + 1;
  const to = paging.input.offset + NOTICE_BATCH;
  // Not the cancelled ones; a city plan's thousands of notices print a batch at a time.
  // No placeholder while the next batch loads: what is on the page is what prints.
  const list = useQuery(
    trpc.tasks.list.queryOptions({
      planId: id,
      status: ['issued', 'in-progress', 'done'],
      sequences: { from, to },
      limit: NOTICE_ROWS,
    }),
  );
  const rows = list.data?.rows ?? [];
  const last = list.data?.lastSequence ?? 0;
  // Back to the first batch when nothing is left to print (not stuck on an empty later one).
  useFitPage(paging, list.data ? last : undefined);
  if (!list.data)
    return (
      <Card loading={list.isPending}>
        <ErrorAlert error={list.error} />
      </Card>
    );
  return (
    <>
      <Space className="no-print" style={{ marginBottom: 16 }} wrap>
        <Button onClick={() => navigate(-1)}>{t('common.back')}</Button>
        <Button
          type="primary"
          icon={<PrinterOutlined />}
          onClick={() => window.print()}
          disabled={!rows.length}
          data-testid="notices-print"
        >
          {t('common.print')}
        </Button>
        <Typography.Text strong data-testid="notices-count">
          {last > NOTICE_BATCH
            ? t('notice.batchTitle', { from, to: Math.min(to, last), n: rows.length })
            : t('notice.allTitle', { n: rows.length })}
        </Typography.Text>
        {last > NOTICE_BATCH && (
          <Pagination
            simple
            current={paging.page}
            pageSize={NOTICE_BATCH}
            total={last}
            onChange={paging.setPage}
            data-testid="notices-batches"
          />
        )}
      </Space>
      {list.data.total > rows.length && (
        <Alert
          className="no-print"
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('notice.batchTruncated', { shown: rows.length, n: list.data.total })}
          data-testid="notices-truncated"
        />
      )}
      <Alert
        className="no-print"
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title={t('notice.sealedHidden')}
      />
      <div className="notice-batch" data-testid="notice-batch">
        {rows.map((r) => (
          <NoticeSheet key={r.task.id} row={r} />
        ))}
      </div>
    </>
  );
}
