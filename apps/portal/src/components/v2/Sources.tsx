import { Card, Descriptions, Tag, Typography } from 'antd';
import { useI18n } from '../../i18n';
import { sourceTime } from '../../lib/checks';
import { fmtTime } from '@spotcheck/ui/format';
import { lotteryResultUrl, PINNED_CHAINS, readSource } from '../../lib/v2';
import { Mono } from '../common';

/** One sr-draw/v2 source in words: the drand chain and round (演示信标 when unpinned), or the lottery issue. */
export function SourceLine({ source }: { source: unknown }) {
  const { t, tx } = useI18n();
  const s = readSource(source);
  const info = (source as { info?: { genesis?: number; period?: number } } | null)?.info;
  const at = sourceTime(
    s,
    typeof info?.genesis === 'number' && typeof info.period === 'number'
      ? { genesis: info.genesis, period: info.period }
      : undefined,
  );
  if (s.kind === 'drand')
    return (
      <span>
        {t('v2.source.drand')}：
        {t('v2.source.drandLine', {
          chain: s.pinned ? tx(`v2.chain.${PINNED_CHAINS[s.chain!]}`) : t('v2.chain.demo'),
          round: s.round ?? '',
        })}
        {at && `（${fmtTime(at)}）`}
        {!s.pinned && (
          <Tag color="orange" style={{ marginLeft: 8 }} data-testid="demo-beacon">
            {t('v2.demoBeacon')}
          </Tag>
        )}
      </span>
    );
  return (
    <span>
      {t('v2.source.lottery')}：
      {t('v2.source.lotteryLine', {
        game: s.game ? tx(`game.${s.game}`, s.game) : '',
        issue: s.issue ?? '',
        date: s.drawDate ?? '',
      })}
    </span>
  );
}

/** The sources of a v2 draw with the values published for them. */
export function SourcesCard({
  sources,
  values,
  string,
}: {
  sources: unknown[];
  values: unknown[];
  string: string;
}) {
  const { t } = useI18n();
  return (
    <Card title={t('v2.sources')} style={{ marginTop: 16 }} data-testid="draw-sources">
      <Descriptions bordered size="small" column={1}>
        {sources.map((raw, i) => {
          const s = readSource(raw);
          const v = values[i];
          const link = s.kind === 'lottery' && s.game ? lotteryResultUrl(s.game) : null;
          return (
            <Descriptions.Item key={i} label={`${i + 1}`}>
              <SourceLine source={raw} />
              <div style={{ marginTop: 4 }}>
                {typeof v === 'string' ? (
                  <Mono>{v}</Mono>
                ) : (
                  <Typography.Text code>{JSON.stringify(v)}</Typography.Text>
                )}
                {link && (
                  <a href={link} target="_blank" rel="noreferrer" style={{ marginLeft: 8 }}>
                    {t('v2.source.checkOperator')}
                  </a>
                )}
              </div>
            </Descriptions.Item>
          );
        })}
        <Descriptions.Item label={t('draw.randomnessString')}>
          <Mono>{string}</Mono>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
