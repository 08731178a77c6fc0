import { PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Space, Typography } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { ErrorAlert } from '../../components/common';
import { useI18n } from '../../i18n';
import { useTRPC } from '@spotcheck/ui/trpc';
import { NoticeSheet } from './Notice';

/**
 * Every inspection notice of a plan on one printable page (print → PDF): one sheet per task in
 * draw order, each on its own page. Covert tasks stay sealed until their team starts (R10).
 */
export default function PlanNoticesPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const trpc = useTRPC();
  const navigate = useNavigate();
  const list = useQuery(trpc.tasks.list.queryOptions({ planId: id }));
  const rows = (list.data ?? []).filter((r) => r.task.status !== 'cancelled');
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
          {t('notice.allTitle', { n: rows.length })}
        </Typography.Text>
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
