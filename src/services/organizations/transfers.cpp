// Billing responsibility transfers and GovCloud accounts: what an ordinary
// organization sees of them. Terrarium does not start transfers
// (InviteOrganizationToTransferResponsibility), so none exist, and no
// management account is GovCloud-enabled.
#include "services/organizations/operations.hpp"
#include "services/organizations/state.hpp"

namespace terrarium::services::organizations {

namespace {

AwsError transfer_not_found() {
  return error("ResponsibilityTransferNotFoundException",
               "We can't find a responsibility transfer with the Id that you specified.");
}

}  // namespace

Value create_gov_cloud_account(Context& ctx, const Value&) {
  require_management(ctx.read_txn(), ctx);
  throw constraint("MASTER_ACCOUNT_NOT_GOVCLOUD_ENABLED",
                   "Your management account isn't enabled to create AWS GovCloud (US) accounts.");
}

Value list_inbound_responsibility_transfers(Context& ctx, const Value& input) {
  require_org(ctx.read_txn(), ctx);
  return paged(input, {}, "ResponsibilityTransfers");
}

Value list_outbound_responsibility_transfers(Context& ctx, const Value& input) {
  require_management(ctx.read_txn(), ctx);
  return paged(input, {}, "ResponsibilityTransfers");
}

Value describe_responsibility_transfer(Context& ctx, const Value&) {
  require_org(ctx.read_txn(), ctx);
  throw transfer_not_found();
}

Value terminate_responsibility_transfer(Context& ctx, const Value&) {
  require_org(ctx.read_txn(), ctx);
  throw transfer_not_found();
}

Value update_responsibility_transfer(Context& ctx, const Value&) {
  require_org(ctx.read_txn(), ctx);
  throw transfer_not_found();
}

}  // namespace terrarium::services::organizations
