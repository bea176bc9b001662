"""Config, options and reconfigure flows, through Home Assistant's real flow manager."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.magnesium_sleep.const import DOMAIN

from .conftest import PROFILE_OPTIONS

ABOUT = {"age_band": "31_50", "sex": "female", "region": "us"}
PRODUCT = {
    "product_form": "glycinate",
    "product_amount_mg": 500,
    "product_basis": "compound",
    "target_mg": 320,
}


def _suggested(result: Any, key: str) -> Any:
    for field in result["data_schema"].schema:
        if field == key:
            return field.description and field.description.get("suggested_value")
    raise KeyError(key)


def _default(result: Any, key: str) -> Any:
    for field in result["data_schema"].schema:
        if field == key:
            return field.default()
    raise KeyError(key)


async def _start(hass: HomeAssistant) -> Any:
    return await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})


async def test_full_flow_creates_a_loaded_profile(hass: HomeAssistant) -> None:
    """Name and person, then the supplement: one loaded entry with data and options apart."""
    hass.states.async_set("person.anna", "home")
    result = await _start(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "  Anna ", "person": "person.anna", **ABOUT}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "product"
    # The intake table recommends 320 mg from food and supplements (women 31-50, IOM);
    # the supplement target suggested stays within the 350 mg supplemental limit.
    assert result["description_placeholders"] == {
        "recommended_intake_mg": "320",
        "upper_limit_mg": "350",
        "default_target_mg": "250",
    }
    assert _suggested(result, "target_mg") == 250
    assert _default(result, "product_amount_mg") == 500  # one 500 mg glycinate capsule

    result = await hass.config_entries.flow.async_configure(result["flow_id"], PRODUCT)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Anna"
    webhook_id = result["data"].pop("webhook_id")
    assert len(webhook_id) == 64  # a fresh, unguessable Apple Health webhook
    assert result["data"] == {"name": "Anna", "person": "person.anna"}
    assert result["options"] == {**ABOUT, **PRODUCT, "day_starts_at": "04:00:00"}
    await hass.async_block_till_done()
    entry = result["result"]
    assert entry.state is ConfigEntryState.LOADED


@pytest.mark.parametrize(
    ("country", "region", "age_band", "target"),
    [("US", "us", "31_50", 250), ("NL", "eu", "31_50", 250), ("US", "us", "4_8", 110)],
)
async def test_defaults_follow_the_country(
    hass: HomeAssistant, country: str, region: str, age_band: str, target: int
) -> None:
    """The region is suggested from the country; the supplement target stays within its limit."""
    await hass.config.async_update(country=country)
    result = await _start(hass)
    assert _suggested(result, "region") == region
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "Bo", "age_band": age_band, "sex": "male", "region": region}
    )
    assert _suggested(result, "target_mg") == target
    assert target <= int(result["description_placeholders"]["upper_limit_mg"])


async def test_empty_name_is_refused_then_recovers(hass: HomeAssistant) -> None:
    """A blank name shows an error on the form and the flow goes on after a fix."""
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "   ", **ABOUT}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"name": "name_required"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "Anna", **ABOUT}
    )
    assert result["step_id"] == "product"


async def test_duplicate_name_or_person_is_refused(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """A second profile with the same name (any case) or person is refused; another passes."""
    MockConfigEntry(
        domain=DOMAIN,
        title="Bo",
        data={"name": "Bo", "person": "person.bo"},
        options=dict(PROFILE_OPTIONS),
    ).add_to_hass(hass)
    mock_config_entry.add_to_hass(hass)
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "ANNA", **ABOUT}
    )
    assert result["errors"] == {"name": "name_in_use"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "Cas", "person": "person.bo", **ABOUT}
    )
    assert result["errors"] == {"person": "person_in_use"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "Cas", "person": "person.cas", **ABOUT}
    )
    assert result["step_id"] == "product"
    assert len(hass.config_entries.async_entries(DOMAIN)) == 2


@pytest.mark.parametrize(
    ("product", "ok"),
    [
        # 5,000 mg of oxide is 3,015 mg elemental: no one takes that in one serving.
        ({"product_form": "oxide", "product_amount_mg": 5000, "product_basis": "compound"}, False),
        (
            {"product_form": "citrate", "product_amount_mg": 2500, "product_basis": "elemental"},
            False,
        ),
        ({"product_form": "oxide", "product_amount_mg": 500, "product_basis": "compound"}, True),
    ],
)
async def test_implausible_serving_is_refused_then_recovers(
    hass: HomeAssistant, product: dict[str, Any], ok: bool
) -> None:
    """A serving over 2,000 mg elemental is an error on the amount field."""
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "Anna", **ABOUT}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**product, "target_mg": 320}
    )
    if ok:
        assert result["type"] is FlowResultType.CREATE_ENTRY
        return
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"product_amount_mg": "serving_implausible"}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], PRODUCT)
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_reconfigure_renames_and_relinks(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Reconfigure changes name and person, refuses a clash, and reloads."""
    MockConfigEntry(
        domain=DOMAIN, title="Bo", data={"name": "Bo"}, options=dict(PROFILE_OPTIONS)
    ).add_to_hass(hass)
    webhook_id = init_integration.data["webhook_id"]
    result = await init_integration.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert _suggested(result, "name") == "Anna"

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"name": "bo"})
    assert result["errors"] == {"name": "name_in_use"}

    # Keeping its own name is not a clash with itself.
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "Anna", "person": "person.anna"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    # The webhook stays the same, so Health Auto Export keeps working.
    assert init_integration.data == {
        "name": "Anna",
        "person": "person.anna",
        "webhook_id": webhook_id,
    }
    assert init_integration.title == "Anna"
    assert init_integration.state is ConfigEntryState.LOADED


async def test_options_flow_edits_the_profile_and_reloads(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The profile step pre-fills, refuses an implausible serving, saves and reloads."""
    runtime_before = init_integration.runtime_data
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    assert result["type"] is FlowResultType.MENU
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "profile"}
    )
    assert result["step_id"] == "profile"
    assert _suggested(result, "target_mg") == 320  # the person's own target
    assert result["description_placeholders"] == {
        "recommended_intake_mg": "320",
        "upper_limit_mg": "350",
        "default_target_mg": "250",
    }

    changed = {**PROFILE_OPTIONS, "sex": "male", "product_form": "oxide", "target_mg": 420}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**changed, "product_amount_mg": 4000}
    )
    assert result["errors"] == {"product_amount_mg": "serving_implausible"}
    assert result["description_placeholders"]["recommended_intake_mg"] == "420"

    result = await hass.config_entries.options.async_configure(result["flow_id"], changed)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert init_integration.options == changed
    runtime = init_integration.runtime_data
    assert runtime is not runtime_before
    assert runtime.profile.target_mg == 420
    assert runtime.profile.product.form == "oxide"
