import { PrinterOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Pagination, Space, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ErrorAlert } from '../../components/common';
import { useI18n } from '../../i18n';
import { useTRPC } from '@spotcheck/ui/trpc';
import { NoticeSheet } from './Notice';

/** Notices printed at once at most: a city plan has 10^5 tasks, printed a batch at a time. */
const NOTICE_BATCH = 500;

/**
 * Every inspection notice of a plan on one printable page (print → PDF), in batches of
 * {@link NOTICE_BATCH}: one sheet per task in draw order, each on its own page. Covert tasks
 * stay sealed until their team starts (R10).
 */
export default function PlanNoticesPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const trpc = useTRPC();
  const navigate = useNavigate();
  const [page, setPage] = useState(1);
  // Not the cancelled ones; a city plan's thousands of notices print a batch at a time.
  const list = useQuery(
    trpc.tasks.list.queryOptions(
      {
        planId: id,
        status: ['issued', 'in-progress', 'done'],
        limit: NOTICE_BATCH,
        offset: (page - 1) * NOTICE_BATCH,
      },
      { placeholderData: keepPreviousData },
    ),
  );
  const rows = list.data?.rows ?? [];
  const total = list.data?.total ?? 0;
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
          {total > NOTICE_BATCH
            ? t('notice.batchTitle', {
                from: (page - 1) * NOTICE_BATCH + 1,
                to: (page - 1) * NOTICE_BATCH + rows.length,
                n: total,
              })
            : t('notice.allTitle', { n: total })}
        </Typography.Text>
        {total > NOTICE_BATCH && (
          <Pagination
            simple
            current={page}
            pageSize={NOTICE_BATCH}
            total={total}
            onChange={setPage}
            data-testid="notices-batches"
          />
        )}
      </Space>
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
