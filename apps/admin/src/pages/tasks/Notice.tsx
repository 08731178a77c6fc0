import { PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Space } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { ErrorAlert } from '../../components/common';
import { useI18n } from '../../i18n';
import { useBureaus, useTRPC } from '@spotcheck/ui/trpc';
import type { RouterOutputs } from '../../lib/types';
import { chinaYear } from '@spotcheck/ui/format';

/** What a notice needs of a task (`tasks.get` and `tasks.list` rows both carry it). */
export type NoticeRow = Pick<
  RouterOutputs['tasks']['list']['rows'][number],
  | 'task'
  | 'bureauCode'
  | 'unitName'
  | 'unitAddress'
  | 'planTitle'
  | 'teamMembers'
  | 'expertMembers'
  | 'checklistItems'
>;

/** The printable inspection notice 检查通知书 of one task (print stylesheet → PDF via the browser). */
export default function NoticePage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const trpc = useTRPC();
  const navigate = useNavigate();
  const one = useQuery(trpc.tasks.get.queryOptions({ id }));
  const row = one.data;
  if (!row)
    return (
      <Card loading={one.isPending}>
        <ErrorAlert error={one.error} />
      </Card>
    );
  return (
    <>
      <Space className="no-print" style={{ marginBottom: 16 }}>
        <Button onClick={() => navigate(-1)}>{t('common.back')}</Button>
        <Button
          type="primary"
          icon={<PrinterOutlined />}
          onClick={() => window.print()}
          data-testid="notice-print"
        >
          {t('common.print')}
        </Button>
      </Space>
      <NoticeSheet row={row} />
    </>
  );
}

/** One notice sheet; in a bulk print each sheet starts a new page. */
export function NoticeSheet({ row }: { row: NoticeRow }) {
  const { t } = useI18n();
  const bureaus = useBureaus();
  const name = bureaus.name(row.bureauCode);
  const bureau = name.endsWith('局') ? name : `${name}应急管理局`;
  const docNo = `${bureau.replace(/应急管理局$/, '')}应急检通〔${chinaYear()}〕${String(row.task.sequence).padStart(4, '0')}号`;
  return (
    <div className="notice-sheet printable" data-testid="notice-sheet">
      <h1>{t('notice.title')}</h1>
      <div className="doc-no">{docNo}</div>
      <p>
        <b>{row.unitName}</b>（{row.task.unitId}）：
        {row.unitAddress && <span style={{ marginLeft: 8 }}>{row.unitAddress}</span>}
      </p>
      <p style={{ textIndent: '2em' }}>
        {t('notice.body', { plan: row.planTitle, date: row.task.scheduledOn ?? t('notice.tbd') })}
      </p>
      <table>
        <tbody>
          <tr>
            <th style={{ width: '28%' }}>{t('notice.items')}</th>
            <td data-testid="notice-items">
              {row.checklistItems.length
                ? row.checklistItems.map((i) => (
                    <div key={i.code}>
                      {i.code}
                      {i.item ? ` ${i.item}` : ''}
                    </div>
                  ))
                : '—'}
            </td>
          </tr>
          <tr>
            <th>{t('notice.teamWithCert')}</th>
            <td data-testid="notice-team">
              {row.teamMembers.length
                ? row.teamMembers.map((m) => (
                    <div key={m.id}>
                      {m.name || m.id}（{t('team.certificate')} {m.certificateNo || '—'}）
                    </div>
                  ))
                : '—'}
            </td>
          </tr>
          {row.expertMembers.length > 0 && (
            <tr>
              <th>{t('team.experts')}</th>
              <td>
                {row.expertMembers.map((e) => (
                  <div key={e.id}>
                    {e.name || e.id}（{e.title}，{e.employer}）
                  </div>
                ))}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <p style={{ textAlign: 'right', marginTop: 48 }}>
        {bureau}
        <br />
        {t('notice.seal')}
        <br />
        {new Date().toLocaleDateString('zh-CN', {
          year: 'numeric',
          month: 'long',
          day: 'numeric',
          timeZone: 'Asia/Shanghai',
        })}
      </p>
    </div>
  );
}
