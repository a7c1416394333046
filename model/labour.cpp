// Labour (docs/model.md 7.2): a two-state Markov chain per migrant,
//   employed(t+1) ~ Bernoulli(1 - p_loss * m_loss(t))   if employed,
//                   Bernoulli(p_find * m_find(t))        otherwise.
// The per-migrant rule is next_employed() in labour.hpp, run by the fused
// monthly pass (economy.cpp). Its draw depends only on the migrant's identity
// and the month, so every scenario run with the same seed sees the same labour
// history (docs/model.md 9, invariant 6: common random numbers).
#include "codev/labour.hpp"

namespace codev {

double stationary_employment(double p_job_loss, double p_job_find) {
    const double total = p_job_loss + p_job_find;
    return total > 0.0 ? p_job_find / total : 1.0;
}

}  // namespace codev
