/**
 * Text of the 如何验证 page for sr-draw/v2, as `[zh, en]` pairs: the steps of a draw in plain words,
 * what each line of the verification report means, and how to check a draw offline.
 */
export type Pair = readonly [zh: string, en: string];

/** The steps of a draw. */
export const HOWTO_STEPS: readonly { title: Pair; text: Pair }[] = [
  {
    title: ['先公布计划编号，再公布承诺', 'The plan id first, then the commitment'],
    text: [
      '计划一经批准，平台就公布计划编号；每次抽取（第 1 次、作废后的第 2 次……）各有且只有一份承诺，全部公开，所以不可能暗中准备多份承诺挑一份用。承诺冻结了这次抽取的全部输入：抽查对象名单（每家单位的统一社会信用代码、分层、权重、是否必查、所需专业、是否需要专家）、未列入名单的本局全部单位及原因、执法人员和专家名单（可承担的任务数、专业、回避的单位及回避类别）、每层名额、检查组人数，以及将来使用哪一轮 drand 随机数。承诺前 30 天内的单位增减、信息变更和回避申报也一并公布。',
      'Once a plan is approved its id is published; each attempt (attempt 1, attempt 2 after a void, …) has exactly one commitment, and all of them are public, so nobody can prepare several commitments in secret and use the best. The commitment freezes every input: the units to draw from (credit code, stratum, weight, mandatory, required specialty, expert needed), every other unit of the bureau with the reason it is left out, the inspectors and experts (capacity, specialties, units they avoid and why), the quotas, the team size, and which future drand round will supply the randomness. Roster changes and conflict declarations of the 30 days before it are published beside it.',
    ],
  },
  {
    title: ['随机数事先指定、事后人人可查', 'Randomness named in advance, checkable by anyone'],
    text: [
      '承诺里指定的是一轮尚未产生的 drand 公共随机信标（由多家独立机构共同运行的“熵联盟”，每 3 秒一轮）。这一轮产生时，信标用 BLS 签名发布，任何人都能用信标固定的公钥核对签名，所以操作人员无法自己编一个数冒充。还可以另加福彩、体彩的开奖号码，方便公众理解，但彩票不能单独作为随机数来源。',
      'The commitment names a drand round that does not exist yet (the League of Entropy’s public beacon, run jointly by independent organisations, one round every 3 s). When the round comes, the beacon publishes it with a BLS signature that anyone can check against the beacon’s fixed public key, so no operator can pass off a number of his own. Welfare or sports lottery results may be added for familiarity, but a lottery never suffices alone.',
    ],
  },
  {
    title: ['按公式抽取，没有人工选择', 'Drawn by formula, nobody chooses'],
    text: [
      '以承诺摘要为钥匙对随机数串 R 做 HMAC-SHA256，得到本次抽取的主密钥；由它给每家单位算出抽签号。每层抽签号最小的若干家入选，必查单位直接入选，按风险加权的分层用 Pareto 抽样排序。入选单位按另一组抽签号排出检查顺序；每家单位再用自己的密钥把可派的执法人员洗牌（跳过需回避的人），按顺序组成检查组，需要专家的单位同样抽取专家。事后有执法人员生病或新申报回避，替换者也只能是这家单位洗牌顺序中的下一位，并作为一条编号记录公开。',
      'HMAC-SHA256 of the randomness string R keyed by the commitment digest gives the draw’s master key, and from it every unit gets a ticket. In each stratum the lowest tickets win; mandatory units are always in; risk-weighted strata rank by Pareto sampling. Selected units are ordered by a second ticket; each unit then shuffles the inspectors it may get (those avoiding it are left out) with its own key and takes its team in that order, and experts are drawn the same way. If a member falls ill or declares a conflict afterwards, the replacement can only be the next person in that unit’s shuffle, published as a numbered record.',
    ],
  },
  {
    title: ['负责人在自己的浏览器里签名', 'Signed in the official’s own browser'],
    text: [
      '谁抽查、谁签字、谁负责。负责人的签名密钥在其本人浏览器中生成，私钥从不离开浏览器，服务器不保存、也不代签任何签名；本局在签名前公布“签名密钥登记”，写明每把公钥属于谁、何时生效、何时失效。核验时签名必须对得上登记中的人和有效期。',
      'Whoever draws signs and answers for it. The official’s signing key is made in their own browser and the private key never leaves it; the server keeps no keys and signs nothing. Before a key signs, the bureau publishes its key registry: whose each public key is and when it is valid. A sign-off counts only if it matches a registered person and validity period.',
    ],
  },
  {
    title: ['作废也要公开', 'Voids are public too'],
    text: [
      '作废必须写明原因类别，由申请人以外的第二名登记人员签名。被作废的那次抽取连同随机数和结果一并公布（即使没人按下“抽取”，只要随机数已经产生，平台也会算出结果公布）；随机数公开后的作废一个计划最多一次，下一次抽取必须使用更晚的新随机数，相同或更早的来源一律拒绝。',
      'A void names a reason from a published list and is signed by a second registered official, not the requester. The voided attempt is published with its randomness and result (if the randomness exists, the platform computes the result even if nobody pressed “draw”); a plan may be voided at most once after its randomness is known, and the next attempt must use new, later sources — the same or earlier ones are refused.',
    ],
  },
  {
    title: ['任何人都可以验证', 'Anyone can verify'],
    text: [
      '拿到公布的抽取包，按规范重新计算一遍：每份名单的摘要、随机数签名和时间、每家入选单位、每个检查组和专家，结果必须与公布的逐字节一致，签名必须对得上本局公布的密钥登记。本站抽取结果页面会在您的浏览器里逐项完成这些核验；也可以下载文件，用下面的命令行工具或独立的 Python 脚本在自己的电脑上核对。',
      'Take the published bundle and recompute it as specified: every list’s digest, the randomness signatures and times, every selected unit, every team and expert — the result must match byte for byte, and the sign-off must match the bureau’s published key registry. The draw pages do each of these checks in your browser; you can also download the files and check them on your own computer with the command-line tool or the independent Python script below.',
    ],
  },
];

/** What each line of the report checks, in report order. */
export const HOWTO_CHECKS: readonly { id: string; text: Pair }[] = [
  {
    id: 'parse',
    text: [
      '抽取包格式严格符合规范：字段不多不少、不重复，十六进制为小写，单位代码校验位正确，名单已排序。',
      'The bundle has exactly the specified fields, none repeated, lowercase hex, valid credit-code check digits, sorted rows.',
    ],
  },
  {
    id: 'digest.*',
    text: [
      '承诺、抽查对象、未列入单位、执法人员、专家五份文件各自的摘要与承诺一致：公布后没有人改过一个字。',
      'The commitment and its four lists (units, left-out units, inspectors, experts) match their digests: nothing was changed after publication.',
    ],
  },
  {
    id: 'commitmentTime',
    text: [
      '承诺的时间由公开日志中经见证人联署的检查点证明；尚未证明时显示“承诺时间未证明”，暂按承诺自报的时间核对。',
      'The commitment time is proven by a witnessed checkpoint of the public log; until then the line says “commitment time not proven” and the stated time is used.',
    ],
  },
  {
    id: 'source.N.drand.*',
    text: [
      '第 N 个来源：drand 签名有效（BLS12-381，固定公钥），链是固定的公共链；演示信标会标明“未固定信标”，正式环境不接受。',
      'Source N: the drand signature verifies (BLS12-381, fixed public key) on a pinned public chain; a demo beacon is flagged “unpinned beacon” and refused in production.',
    ],
  },
  {
    id: 'source.N.lottery.*',
    text: [
      '彩票号码格式符合该玩法；号码本身无法离线核对，显示“彩票号码未核对”，请与福彩、体彩公布的开奖结果比对。',
      'The lottery numbers fit the game; the numbers themselves cannot be checked offline (“lottery values not checked”): compare them with the operator’s published result.',
    ],
  },
  {
    id: 'source.N.timing',
    text: [
      '随机数产生于承诺之后至少 60 秒、至多 7 天：承诺时谁也不知道它。',
      'The randomness came at least 60 s and at most 7 days after the commitment: nobody knew it when committing.',
    ],
  },
  {
    id: 'randomness',
    text: ['随机数串 R 是各来源取值按规范拼接的结果。', 'R is the sources’ values joined as specified.'],
  },
  {
    id: 'sufficiency',
    text: [
      '至少有一个 drand 公共信标，彩票不能单独充当随机数。',
      'At least one drand round; lotteries never suffice alone.',
    ],
  },
  {
    id: 'excluded',
    text: ['没有单位同时出现在抽查对象和未列入名单中。', 'No unit is both in the frame and left out.'],
  },
  {
    id: 'freshness',
    text: [
      '作废后的再次抽取，每个来源都晚于上一次的全部来源，没有重用已知的随机数。',
      'After a void, every source is later than every source of the voided attempt: no known randomness reused.',
    ],
  },
  {
    id: 'previous',
    text: [
      '上一次作废的抽取记录完整（已产生的随机数和结果都已公开），随机数公开后的作废不超过一次。',
      'The voided attempt is recorded in full (its randomness and result published if they existed), and at most one void came after the randomness was known.',
    ],
  },
  {
    id: 'feasibility',
    text: [
      '每家单位至少有两倍检查组人数的可派人员（需要专业、专家时各至少两名）：没人能靠回避申报把检查组限定成某几个人。',
      'Every unit has at least twice the team size of eligible inspectors (and two holders of a required specialty, two experts where needed): nobody can force a team through conflict declarations.',
    ],
  },
  {
    id: 'result',
    text: [
      '在您的电脑上重新计算的结果与公布的逐字节一致。',
      'The result recomputed on your computer equals the published one byte for byte.',
    ],
  },
  {
    id: 'signOff',
    text: [
      '签名有效，且签名密钥在本局公布的登记中属于签名人、在签名时有效；没有登记表时显示“签名人未核对”。',
      'The signature verifies with a key the bureau’s published registry gives to the signer, valid when signing; without a registry the line says “signer not checked”.',
    ],
  },
  { id: 'signOff.timing', text: ['签名晚于全部随机数的产生。', 'The sign-off came after every source.'] },
  {
    id: 'replacement.N',
    text: [
      '第 N 条替换记录：替换者正是该单位洗牌顺序中的下一位可派人员。',
      'Replacement record N: the replacement is exactly the next eligible inspector in the unit’s shuffle.',
    ],
  },
];

/** The offline check, step by step. */
export const HOWTO_OFFLINE = {
  files: [
    '在抽取结果页面下载 bundle.json（抽取包）和 registry.json（签名密钥登记，也可在“签名密钥登记”页面下载）。',
    'On a draw result page download bundle.json (the bundle) and registry.json (the key registry, also on the “Signing keys” page).',
  ] as Pair,
  clone: [
    '取得本平台的源代码（规范在 packages/core/SPEC.md，克隆下来即可独立核对），安装 Node.js 20 以上后在源代码目录运行：',
    'Get the platform’s source code (the specification is packages/core/SPEC.md; a clone is all you need), install Node.js 20 or later, and in its directory run:',
  ] as Pair,
  cliOut: [
    '命令逐行打印上面每一项的结果（英文），全部通过时退出码为 0，任何一项不通过为 1，文件读不了为 2。不带 `--keys` 时抽取本身仍会核验，签名一行显示 `signer not checked`。',
    'It prints one line per check above (in English) and exits 0 when all pass, 1 when any fails, 2 when a file cannot be read. Without --keys the draw is still verified and the sign-off line says signer not checked.',
  ] as Pair,
  replacements: [
    '检查组有人员替换时，把替换记录（本页“检查组成员替换”中下载的 replacements.json）一并核对：',
    'When team members were replaced, check the records too (replacements.json, downloaded from the page’s “Team member replacements”):',
  ] as Pair,
  python: [
    '不想依赖本平台的代码，也可以用只需 Python 3 标准库的独立脚本重新计算全部摘要、随机数串、抽签号、入选单位、检查组、专家和结果摘要（Python 标准库没有 BLS 和 Ed25519，drand 签名和负责人签名请用上面的命令核对）：',
    'To avoid the platform’s own code, an independent script needing only the Python 3 standard library recomputes every digest, R, every key, the selection, the teams, the experts and the result digest (the standard library has no BLS or Ed25519: check the drand and sign-off signatures with the command above):',
  ] as Pair,
  pythonOut: [
    '一致时打印 `draw recomputed` 并退出 0，否则指出第一处不一致并退出 1。',
    'It prints draw recomputed and exits 0 when everything matches, else names the first mismatch and exits 1.',
  ] as Pair,
};
