""" Contains all the data models used in inputs/outputs """

from .abandon_public import AbandonPublic
from .abandon_public_outcome import AbandonPublicOutcome
from .achievement_public import AchievementPublic
from .achievements_public import AchievementsPublic
from .adjustment import Adjustment
from .adjustment_create import AdjustmentCreate
from .allocation_public import AllocationPublic
from .allocation_request import AllocationRequest
from .analytics_status_response_analytics_status import AnalyticsStatusResponseAnalyticsStatus
from .api_key_create import ApiKeyCreate
from .api_key_created import ApiKeyCreated
from .api_key_public import ApiKeyPublic
from .api_keys_public import ApiKeysPublic
from .attribute import Attribute
from .budget_level_public import BudgetLevelPublic
from .budget_run_create import BudgetRunCreate
from .budget_run_public import BudgetRunPublic
from .budget_runs_public import BudgetRunsPublic
from .budget_share_public import BudgetSharePublic
from .budget_share_public_group import BudgetSharePublicGroup
from .budget_shares_public import BudgetSharesPublic
from .budgets_export_budget_shares_group_type_0 import BudgetsExportBudgetSharesGroupType0
from .budgets_list_budget_shares_group_type_0 import BudgetsListBudgetSharesGroupType0
from .cancel_request import CancelRequest
from .catalogue_item import CatalogueItem
from .catalogue_page import CataloguePage
from .catalogue_product import CatalogueProduct
from .client_key_create import ClientKeyCreate
from .client_key_created import ClientKeyCreated
from .client_key_public import ClientKeyPublic
from .client_keys_public import ClientKeysPublic
from .customer_create import CustomerCreate
from .customer_create_custom_attributes import CustomerCreateCustomAttributes
from .customer_data_part import CustomerDataPart
from .customer_data_part_tables import CustomerDataPartTables
from .customer_data_part_tables_additional_property_item import CustomerDataPartTablesAdditionalPropertyItem
from .customer_invitation_acceptance import CustomerInvitationAcceptance
from .customer_invitation_public import CustomerInvitationPublic
from .customer_invite import CustomerInvite
from .customer_level_public import CustomerLevelPublic
from .customer_levels_public import CustomerLevelsPublic
from .customer_public import CustomerPublic
from .customer_public_custom_attributes import CustomerPublicCustomAttributes
from .customer_registration import CustomerRegistration
from .customer_sign_in import CustomerSignIn
from .customer_sort import CustomerSort
from .customer_tokens_public import CustomerTokensPublic
from .customer_update import CustomerUpdate
from .customer_update_custom_attributes_type_0 import CustomerUpdateCustomAttributesType0
from .customers_public import CustomersPublic
from .dimension import Dimension
from .earning_create import EarningCreate
from .erasure_public import ErasurePublic
from .exchange_rate_in import ExchangeRateIn
from .exchange_rate_lookup import ExchangeRateLookup
from .exchange_rate_public import ExchangeRatePublic
from .exchange_rates_public import ExchangeRatesPublic
from .exchange_rates_upsert import ExchangeRatesUpsert
from .exchange_rates_upserted import ExchangeRatesUpserted
from .export_document import ExportDocument
from .export_document_parts import ExportDocumentParts
from .export_document_parts_additional_property import ExportDocumentPartsAdditionalProperty
from .fit import Fit
from .fits import Fits
from .format_ import Format
from .gender import Gender
from .grain import Grain
from .group_member_public import GroupMemberPublic
from .group_member_public_group import GroupMemberPublicGroup
from .group_members_public import GroupMembersPublic
from .groups_public import GroupsPublic
from .import_file import ImportFile
from .import_job_public import ImportJobPublic
from .import_job_public_options import ImportJobPublicOptions
from .import_job_public_report import ImportJobPublicReport
from .import_jobs_public import ImportJobsPublic
from .import_preset_public import ImportPresetPublic
from .import_preset_public_files import ImportPresetPublicFiles
from .import_presets_public import ImportPresetsPublic
from .import_progress import ImportProgress
from .import_state import ImportState
from .imports_create_import_body import ImportsCreateImportBody
from .imports_create_import_body_date_order import ImportsCreateImportBodyDateOrder
from .imports_create_import_body_preset import ImportsCreateImportBodyPreset
from .invitation_acceptance import InvitationAcceptance
from .left_out import LeftOut
from .level_count import LevelCount
from .level_groups import LevelGroups
from .level_run_create import LevelRunCreate
from .level_thresholds import LevelThresholds
from .levels_list_group_members_group_type_0 import LevelsListGroupMembersGroupType0
from .movement_kind import MovementKind
from .movement_public import MovementPublic
from .movements_public import MovementsPublic
from .new_fit import NewFit
from .password_change import PasswordChange
from .password_grant import PasswordGrant
from .password_reset_completion import PasswordResetCompletion
from .password_reset_link_public import PasswordResetLinkPublic
from .period import Period
from .period_grain import PeriodGrain
from .preference import Preference
from .privacy_request_public import PrivacyRequestPublic
from .privacy_requests_public import PrivacyRequestsPublic
from .problem import Problem
from .problem_errors_item import ProblemErrorsItem
from .product_create import ProductCreate
from .product_public import ProductPublic
from .product_reward import ProductReward
from .product_sort import ProductSort
from .product_update import ProductUpdate
from .products_public import ProductsPublic
from .program_settings import ProgramSettings
from .purchase_create import PurchaseCreate
from .purchase_line_create import PurchaseLineCreate
from .purchase_line_public import PurchaseLinePublic
from .purchase_public import PurchasePublic
from .purchase_recorded_public import PurchaseRecordedPublic
from .purchase_reward import PurchaseReward
from .purchase_source import PurchaseSource
from .purchase_status import PurchaseStatus
from .purchases_public import PurchasesPublic
from .rank_by import RankBy
from .rank_order import RankOrder
from .ranking import Ranking
from .record_status import RecordStatus
from .refresh_request import RefreshRequest
from .request_kind import RequestKind
from .request_state import RequestState
from .reservation_public import ReservationPublic
from .reservation_request import ReservationRequest
from .reserved_reward import ReservedReward
from .restock import Restock
from .restock_suggestion import RestockSuggestion
from .restock_suggestions import RestockSuggestions
from .return_line import ReturnLine
from .return_request import ReturnRequest
from .reward_catalogue_page import RewardCataloguePage
from .reward_claims import RewardClaims
from .reward_dimension import RewardDimension
from .reward_earned import RewardEarned
from .reward_public import RewardPublic
from .reward_status import RewardStatus
from .rewards_public import RewardsPublic
from .roles_change import RolesChange
from .scheme import Scheme
from .season import Season
from .service_erasure import ServiceErasure
from .service_progress import ServiceProgress
from .settlement_public import SettlementPublic
from .sign_in_request import SignInRequest
from .staff_invitation_public import StaffInvitationPublic
from .staff_invitation_public_status import StaffInvitationPublicStatus
from .staff_invite import StaffInvite
from .staff_role import StaffRole
from .staff_user_public import StaffUserPublic
from .staff_user_public_status import StaffUserPublicStatus
from .staff_users_public import StaffUsersPublic
from .stock_level import StockLevel
from .store_create import StoreCreate
from .store_public import StorePublic
from .store_sort import StoreSort
from .store_update import StoreUpdate
from .stores_public import StoresPublic
from .target_mode import TargetMode
from .target_public import TargetPublic
from .target_run_create import TargetRunCreate
from .target_run_public import TargetRunPublic
from .target_runs_public import TargetRunsPublic
from .targets_public import TargetsPublic
from .tokens_public import TokensPublic
from .trend import Trend
from .username_change import UsernameChange
from .username_public import UsernamePublic
from .wallet_entries_public import WalletEntriesPublic
from .wallet_entry_kind import WalletEntryKind
from .wallet_entry_public import WalletEntryPublic
from .wallet_public import WalletPublic

__all__ = (
    "AbandonPublic",
    "AbandonPublicOutcome",
    "AchievementPublic",
    "AchievementsPublic",
    "Adjustment",
    "AdjustmentCreate",
    "AllocationPublic",
    "AllocationRequest",
    "AnalyticsStatusResponseAnalyticsStatus",
    "ApiKeyCreate",
    "ApiKeyCreated",
    "ApiKeyPublic",
    "ApiKeysPublic",
    "Attribute",
    "BudgetLevelPublic",
    "BudgetRunCreate",
    "BudgetRunPublic",
    "BudgetRunsPublic",
    "BudgetsExportBudgetSharesGroupType0",
    "BudgetSharePublic",
    "BudgetSharePublicGroup",
    "BudgetSharesPublic",
    "BudgetsListBudgetSharesGroupType0",
    "CancelRequest",
    "CatalogueItem",
    "CataloguePage",
    "CatalogueProduct",
    "ClientKeyCreate",
    "ClientKeyCreated",
    "ClientKeyPublic",
    "ClientKeysPublic",
    "CustomerCreate",
    "CustomerCreateCustomAttributes",
    "CustomerDataPart",
    "CustomerDataPartTables",
    "CustomerDataPartTablesAdditionalPropertyItem",
    "CustomerInvitationAcceptance",
    "CustomerInvitationPublic",
    "CustomerInvite",
    "CustomerLevelPublic",
    "CustomerLevelsPublic",
    "CustomerPublic",
    "CustomerPublicCustomAttributes",
    "CustomerRegistration",
    "CustomerSignIn",
    "CustomerSort",
    "CustomersPublic",
    "CustomerTokensPublic",
    "CustomerUpdate",
    "CustomerUpdateCustomAttributesType0",
    "Dimension",
    "EarningCreate",
    "ErasurePublic",
    "ExchangeRateIn",
    "ExchangeRateLookup",
    "ExchangeRatePublic",
    "ExchangeRatesPublic",
    "ExchangeRatesUpsert",
    "ExchangeRatesUpserted",
    "ExportDocument",
    "ExportDocumentParts",
    "ExportDocumentPartsAdditionalProperty",
    "Fit",
    "Fits",
    "Format",
    "Gender",
    "Grain",
    "GroupMemberPublic",
    "GroupMemberPublicGroup",
    "GroupMembersPublic",
    "GroupsPublic",
    "ImportFile",
    "ImportJobPublic",
    "ImportJobPublicOptions",
    "ImportJobPublicReport",
    "ImportJobsPublic",
    "ImportPresetPublic",
    "ImportPresetPublicFiles",
    "ImportPresetsPublic",
    "ImportProgress",
    "ImportsCreateImportBody",
    "ImportsCreateImportBodyDateOrder",
    "ImportsCreateImportBodyPreset",
    "ImportState",
    "InvitationAcceptance",
    "LeftOut",
    "LevelCount",
    "LevelGroups",
    "LevelRunCreate",
    "LevelsListGroupMembersGroupType0",
    "LevelThresholds",
    "MovementKind",
    "MovementPublic",
    "MovementsPublic",
    "NewFit",
    "PasswordChange",
    "PasswordGrant",
    "PasswordResetCompletion",
    "PasswordResetLinkPublic",
    "Period",
    "PeriodGrain",
    "Preference",
    "PrivacyRequestPublic",
    "PrivacyRequestsPublic",
    "Problem",
    "ProblemErrorsItem",
    "ProductCreate",
    "ProductPublic",
    "ProductReward",
    "ProductSort",
    "ProductsPublic",
    "ProductUpdate",
    "ProgramSettings",
    "PurchaseCreate",
    "PurchaseLineCreate",
    "PurchaseLinePublic",
    "PurchasePublic",
    "PurchaseRecordedPublic",
    "PurchaseReward",
    "PurchaseSource",
    "PurchasesPublic",
    "PurchaseStatus",
    "RankBy",
    "Ranking",
    "RankOrder",
    "RecordStatus",
    "RefreshRequest",
    "RequestKind",
    "RequestState",
    "ReservationPublic",
    "ReservationRequest",
    "ReservedReward",
    "Restock",
    "RestockSuggestion",
    "RestockSuggestions",
    "ReturnLine",
    "ReturnRequest",
    "RewardCataloguePage",
    "RewardClaims",
    "RewardDimension",
    "RewardEarned",
    "RewardPublic",
    "RewardsPublic",
    "RewardStatus",
    "RolesChange",
    "Scheme",
    "Season",
    "ServiceErasure",
    "ServiceProgress",
    "SettlementPublic",
    "SignInRequest",
    "StaffInvitationPublic",
    "StaffInvitationPublicStatus",
    "StaffInvite",
    "StaffRole",
    "StaffUserPublic",
    "StaffUserPublicStatus",
    "StaffUsersPublic",
    "StockLevel",
    "StoreCreate",
    "StorePublic",
    "StoreSort",
    "StoresPublic",
    "StoreUpdate",
    "TargetMode",
    "TargetPublic",
    "TargetRunCreate",
    "TargetRunPublic",
    "TargetRunsPublic",
    "TargetsPublic",
    "TokensPublic",
    "Trend",
    "UsernameChange",
    "UsernamePublic",
    "WalletEntriesPublic",
    "WalletEntryKind",
    "WalletEntryPublic",
    "WalletPublic",
)
