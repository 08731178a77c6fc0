import { Loading, NotFound } from '@spotcheck/ui/shell';
import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { PortalLayout } from './components/Layout';

const HomePage = lazy(() => import('./pages/Home'));
const ChecklistPage = lazy(() => import('./pages/Checklist'));
const CommitmentsPage = lazy(() => import('./pages/Commitments'));
const CommitmentDetailPage = lazy(() => import('./pages/CommitmentDetail'));
const DrawsPage = lazy(() => import('./pages/Draws'));
const DrawDetailPage = lazy(() => import('./pages/DrawDetail'));
const OfflineVerifyPage = lazy(() => import('./pages/OfflineVerify'));
const ResultsPage = lazy(() => import('./pages/Results'));
const ResultDetailPage = lazy(() => import('./pages/ResultDetail'));
const BlacklistPage = lazy(() => import('./pages/Blacklist'));
const SupervisionPage = lazy(() => import('./pages/Supervision'));
const PublicationPage = lazy(() => import('./pages/Publication'));
const HowToVerifyPage = lazy(() => import('./pages/HowToVerify'));
const OpenDataPage = lazy(() => import('./pages/OpenData'));
const CheckpointsPage = lazy(() => import('./pages/Checkpoints'));
const KeyRegistryPage = lazy(() => import('./pages/KeyRegistry'));

/** Routes, each page in its own chunk. */
export function App() {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route element={<PortalLayout />}>
          <Route index element={<HomePage />} />
          <Route path="checklist" element={<ChecklistPage />} />
          <Route path="checklist/:id" element={<ChecklistPage />} />
          <Route path="commitments" element={<CommitmentsPage />} />
          <Route path="commitments/:id" element={<CommitmentDetailPage />} />
          <Route path="draws" element={<DrawsPage />} />
          <Route path="draws/:id" element={<DrawDetailPage />} />
          <Route path="verify" element={<OfflineVerifyPage />} />
          <Route path="results" element={<ResultsPage />} />
          <Route path="results/:id" element={<ResultDetailPage />} />
          <Route path="supervision" element={<SupervisionPage />} />
          <Route path="blacklist" element={<BlacklistPage />} />
          <Route path="publication/:id" element={<PublicationPage />} />
          <Route path="how-to-verify" element={<HowToVerifyPage />} />
          <Route path="open-data" element={<OpenDataPage />} />
          <Route path="checkpoints" element={<CheckpointsPage />} />
          <Route path="keys" element={<KeyRegistryPage />} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
