import { Spin } from 'antd';
import { useI18n } from '../i18n';

/** What shows while a page's code loads (a chunk on a slow line takes a moment). */
export function Loading({ marginTop = 120 }: { marginTop?: number }) {
  const { t } = useI18n();
  return (
    <div
      role="status"
      style={{ display: 'flex', justifyContent: 'center', alignItems: 'center', gap: 8, marginTop }}
    >
      <Spin />
      <span>{t('common.loading')}</span>
    </div>
  );
}
