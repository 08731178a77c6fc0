import { Alert, Card, Steps, Typography } from 'antd';
import { Link } from 'react-router';
import { Page } from '../components/common';
import { useI18n } from '../i18n';

const { Paragraph, Text } = Typography;

const STEPS = {
  zh: [
    {
      title: '事先承诺',
      text: '抽取之前，平台把这次抽查的全部输入冻结成一份“承诺”文件：候选单位名单（每家单位的统一社会信用代码、所在分层、权重、是否必查）、执法人员名单（可承担的任务数、专业、需要回避的单位）、每一层的名额，以及将来要用哪一期公开开奖号码作为随机数。文件的 SHA-256 摘要随即公布。此后改动任何一个字，摘要都会变，所以谁也无法悄悄修改。',
    },
    {
      title: '公开随机数',
      text: '承诺公布时，随机数还不存在。等到事先指定的那一期开奖号码公布后，把号码从小到大排列、用点隔开，得到随机数串 R。例如开奖号码 2 5 12 8 10 得到 “2.5.8.10.12./”。任何人都查得到这期号码。',
    },
    {
      title: '按公式抽取',
      text: '以承诺摘要为钥匙，对 R 做 HMAC-SHA256，得到本次抽取的主密钥；再用它给每家单位算出一个“抽签号”。每一层里，抽签号最小的若干家入选；必查单位直接入选；按风险加权的分层用 Pareto 抽样公式排序。入选单位再按另一组抽签号排出检查顺序，并按抽签号为每家挑选执法人员，跳过需要回避的人。整个过程没有任何人工选择的余地。',
    },
    {
      title: '签名负责',
      text: '谁抽查、谁签字、谁负责：负责人用自己的 Ed25519 私钥对“承诺摘要 + 结果摘要”签名，签名和公钥随结果一起公布。作废重抽必须写明原因、由第二人批准，并同样公开。',
    },
    {
      title: '任何人都可以验证',
      text: '拿到公布的抽取包，按同样的步骤重新计算一遍，结果必须与公布的逐字节一致，签名也必须能用公布的公钥验证通过。本站“抽取结果”页面会在您的浏览器里自动完成这一步；也可以把抽取包下载下来，用独立的命令行工具核对。',
    },
  ],
  en: [
    {
      title: 'Commit first',
      text: 'Before the draw, the platform freezes every input into a commitment: the candidate units (credit code, stratum, weight, mandatory or not), the inspectors (capacity, specialties, units they must avoid), each stratum’s quota, and which future public lottery draw will supply the randomness. Its SHA-256 digest is published at once. Changing a single character changes the digest, so nobody can quietly alter it.',
    },
    {
      title: 'Public randomness',
      text: 'When the commitment is published, the randomness does not exist yet. Once the named lottery draw is announced, its numbers are sorted and joined with dots into the string R: numbers 2 5 12 8 10 give “2.5.8.10.12./”. Anyone can look those numbers up.',
    },
    {
      title: 'Draw by formula',
      text: 'HMAC-SHA256 of R keyed by the commitment digest gives the draw’s master key; from it each unit gets a ticket. In each stratum the lowest tickets win; mandatory units are always in; risk-weighted strata rank by Pareto sampling. Selected units are ordered by a second ticket, and each gets a team picked by ticket, skipping anyone who must avoid that unit. Nobody chooses anything by hand.',
    },
    {
      title: 'Signed by a responsible official',
      text: 'Whoever draws signs and answers for it: the official signs “commitment digest + result digest” with their Ed25519 key; the signature and public key are published with the result. A voided draw needs a stated reason and a second approver, and is published too.',
    },
    {
      title: 'Anyone can verify',
      text: 'Take the published bundle, repeat the same steps, and the result must match byte for byte; the signature must verify with the published public key. The “Draw results” pages do this in your browser automatically; you can also download the bundle and check it with the independent command-line tool.',
    },
  ],
};

/** 如何验证: sr-draw/v1 in plain words, with the command-line check. */
export default function HowToVerify() {
  const { t, lang } = useI18n();
  return (
    <Page title={t('howto.title')}>
      <Card>
        <Steps
          direction="vertical"
          current={-1}
          items={STEPS[lang].map((s) => ({
            title: s.title,
            description: <Paragraph style={{ maxWidth: 900 }}>{s.text}</Paragraph>,
            status: 'process',
          }))}
        />
      </Card>
      <Card title={lang === 'zh' ? '用命令行核对' : 'Check it on the command line'} style={{ marginTop: 16 }}>
        <Paragraph>
          {lang === 'zh'
            ? '在抽取结果页面点击“下载抽取包 JSON”，保存为 bundle.json，然后运行：'
            : 'On a draw result page choose “Download the bundle JSON”, save it as bundle.json, and run:'}
        </Paragraph>
        <pre
          data-testid="cli-command"
          style={{ background: '#0f172a', color: '#e2e8f0', padding: 16, borderRadius: 4 }}
        >
          spotcheck verify bundle.json
        </pre>
        <Paragraph>
          {lang === 'zh'
            ? '命令会重新计算承诺摘要、随机数串、每一家入选单位和执法组以及结果摘要，全部一致时报告通过，否则指出第一处不一致。也可以把抽取包粘贴到'
            : 'It recomputes the commitment digest, the randomness string, every selected unit and team and the result digest, and reports success or the first mismatch. You can also paste the bundle into the '}
          <Link to="/verify">{t('nav.verify')}</Link>
          {lang === 'zh' ? '页面。' : ' page.'}
        </Paragraph>
        <Alert
          type="info"
          showIcon
          message={
            lang === 'zh' ? (
              <span>
                算法名称 <Text code>sr-draw/v1</Text>
                ，规范公开，任何人可用任何编程语言独立实现。随机数串的写法沿用 RFC
                3797（公开抽签的随机数规则）。
              </span>
            ) : (
              <span>
                The algorithm is <Text code>sr-draw/v1</Text>; its specification is public and anyone can
                implement it independently in any language. The randomness string follows RFC 3797 (publicly
                verifiable nominations).
              </span>
            )
          }
        />
      </Card>
    </Page>
  );
}
