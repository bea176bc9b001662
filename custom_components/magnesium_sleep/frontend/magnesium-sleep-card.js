var B=globalThis,K=B.ShadowRoot&&(B.ShadyCSS===void 0||B.ShadyCSS.nativeShadow)&&"adoptedStyleSheets"in Document.prototype&&"replace"in CSSStyleSheet.prototype,tt=Symbol(),At=new WeakMap,M=class{constructor(t,e,n){if(this._$cssResult$=!0,n!==tt)throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");this.cssText=t,this.t=e}get styleSheet(){let t=this.o,e=this.t;if(K&&t===void 0){let n=e!==void 0&&e.length===1;n&&(t=At.get(e)),t===void 0&&((this.o=t=new CSSStyleSheet).replaceSync(this.cssText),n&&At.set(e,t))}return t}toString(){return this.cssText}},Et=i=>new M(typeof i=="string"?i:i+"",void 0,tt),et=(i,...t)=>{let e=i.length===1?i[0]:t.reduce((n,s,r)=>n+(o=>{if(o._$cssResult$===!0)return o.cssText;if(typeof o=="number")return o;throw Error("Value passed to 'css' function must be a 'css' function result: "+o+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.")})(s)+i[r+1],i[0]);return new M(e,i,tt)},St=(i,t)=>{if(K)i.adoptedStyleSheets=t.map(e=>e instanceof CSSStyleSheet?e:e.styleSheet);else for(let e of t){let n=document.createElement("style"),s=B.litNonce;s!==void 0&&n.setAttribute("nonce",s),n.textContent=e.cssText,i.appendChild(n)}},nt=K?i=>i:i=>i instanceof CSSStyleSheet?(t=>{let e="";for(let n of t.cssRules)e+=n.cssText;return Et(e)})(i):i;var{is:de,defineProperty:he,getOwnPropertyDescriptor:ue,getOwnPropertyNames:pe,getOwnPropertySymbols:me,getPrototypeOf:ge}=Object,W=globalThis,Tt=W.trustedTypes,fe=Tt?Tt.emptyScript:"",_e=W.reactiveElementPolyfillSupport,L=(i,t)=>i,it={toAttribute(i,t){switch(t){case Boolean:i=i?fe:null;break;case Object:case Array:i=i==null?i:JSON.stringify(i)}return i},fromAttribute(i,t){let e=i;switch(t){case Boolean:e=i!==null;break;case Number:e=i===null?null:Number(i);break;case Object:case Array:try{e=JSON.parse(i)}catch{e=null}}return e}},Rt=(i,t)=>!de(i,t),Ct={attribute:!0,type:String,converter:it,reflect:!1,useDefault:!1,hasChanged:Rt};Symbol.metadata??=Symbol("metadata"),W.litPropertyMetadata??=new WeakMap;var v=class extends HTMLElement{static addInitializer(t){this._$Ei(),(this.l??=[]).push(t)}static get observedAttributes(){return this.finalize(),this._$Eh&&[...this._$Eh.keys()]}static createProperty(t,e=Ct){if(e.state&&(e.attribute=!1),this._$Ei(),this.prototype.hasOwnProperty(t)&&((e=Object.create(e)).wrapped=!0),this.elementProperties.set(t,e),!e.noAccessor){let n=Symbol(),s=this.getPropertyDescriptor(t,n,e);s!==void 0&&he(this.prototype,t,s)}}static getPropertyDescriptor(t,e,n){let{get:s,set:r}=ue(this.prototype,t)??{get(){return this[e]},set(o){this[e]=o}};return{get:s,set(o){let l=s?.call(this);r?.call(this,o),this.requestUpdate(t,l,n)},configurable:!0,enumerable:!0}}static getPropertyOptions(t){return this.elementProperties.get(t)??Ct}static _$Ei(){if(this.hasOwnProperty(L("elementProperties")))return;let t=ge(this);t.finalize(),t.l!==void 0&&(this.l=[...t.l]),this.elementProperties=new Map(t.elementProperties)}static finalize(){if(this.hasOwnProperty(L("finalized")))return;if(this.finalized=!0,this._$Ei(),this.hasOwnProperty(L("properties"))){let e=this.properties,n=[...pe(e),...me(e)];for(let s of n)this.createProperty(s,e[s])}let t=this[Symbol.metadata];if(t!==null){let e=litPropertyMetadata.get(t);if(e!==void 0)for(let[n,s]of e)this.elementProperties.set(n,s)}this._$Eh=new Map;for(let[e,n]of this.elementProperties){let s=this._$Eu(e,n);s!==void 0&&this._$Eh.set(s,e)}this.elementStyles=this.finalizeStyles(this.styles)}static finalizeStyles(t){let e=[];if(Array.isArray(t)){let n=new Set(t.flat(1/0).reverse());for(let s of n)e.unshift(nt(s))}else t!==void 0&&e.push(nt(t));return e}static _$Eu(t,e){let n=e.attribute;return n===!1?void 0:typeof n=="string"?n:typeof t=="string"?t.toLowerCase():void 0}constructor(){super(),this._$Ep=void 0,this.isUpdatePending=!1,this.hasUpdated=!1,this._$Em=null,this._$Ev()}_$Ev(){this._$ES=new Promise(t=>this.enableUpdating=t),this._$AL=new Map,this._$E_(),this.requestUpdate(),this.constructor.l?.forEach(t=>t(this))}addController(t){(this._$EO??=new Set).add(t),this.renderRoot!==void 0&&this.isConnected&&t.hostConnected?.()}removeController(t){this._$EO?.delete(t)}_$E_(){let t=new Map,e=this.constructor.elementProperties;for(let n of e.keys())this.hasOwnProperty(n)&&(t.set(n,this[n]),delete this[n]);t.size>0&&(this._$Ep=t)}createRenderRoot(){let t=this.shadowRoot??this.attachShadow(this.constructor.shadowRootOptions);return St(t,this.constructor.elementStyles),t}connectedCallback(){this.renderRoot??=this.createRenderRoot(),this.enableUpdating(!0),this._$EO?.forEach(t=>t.hostConnected?.())}enableUpdating(t){}disconnectedCallback(){this._$EO?.forEach(t=>t.hostDisconnected?.())}attributeChangedCallback(t,e,n){this._$AK(t,n)}_$ET(t,e){let n=this.constructor.elementProperties.get(t),s=this.constructor._$Eu(t,n);if(s!==void 0&&n.reflect===!0){let r=(n.converter?.toAttribute!==void 0?n.converter:it).toAttribute(e,n.type);this._$Em=t,r==null?this.removeAttribute(s):this.setAttribute(s,r),this._$Em=null}}_$AK(t,e){let n=this.constructor,s=n._$Eh.get(t);if(s!==void 0&&this._$Em!==s){let r=n.getPropertyOptions(s),o=typeof r.converter=="function"?{fromAttribute:r.converter}:r.converter?.fromAttribute!==void 0?r.converter:it;this._$Em=s;let l=o.fromAttribute(e,r.type);this[s]=l??this._$Ej?.get(s)??l,this._$Em=null}}requestUpdate(t,e,n,s=!1,r){if(t!==void 0){let o=this.constructor;if(s===!1&&(r=this[t]),n??=o.getPropertyOptions(t),!((n.hasChanged??Rt)(r,e)||n.useDefault&&n.reflect&&r===this._$Ej?.get(t)&&!this.hasAttribute(o._$Eu(t,n))))return;this.C(t,e,n)}this.isUpdatePending===!1&&(this._$ES=this._$EP())}C(t,e,{useDefault:n,reflect:s,wrapped:r},o){n&&!(this._$Ej??=new Map).has(t)&&(this._$Ej.set(t,o??e??this[t]),r!==!0||o!==void 0)||(this._$AL.has(t)||(this.hasUpdated||n||(e=void 0),this._$AL.set(t,e)),s===!0&&this._$Em!==t&&(this._$Eq??=new Set).add(t))}async _$EP(){this.isUpdatePending=!0;try{await this._$ES}catch(e){Promise.reject(e)}let t=this.scheduleUpdate();return t!=null&&await t,!this.isUpdatePending}scheduleUpdate(){return this.performUpdate()}performUpdate(){if(!this.isUpdatePending)return;if(!this.hasUpdated){if(this.renderRoot??=this.createRenderRoot(),this._$Ep){for(let[s,r]of this._$Ep)this[s]=r;this._$Ep=void 0}let n=this.constructor.elementProperties;if(n.size>0)for(let[s,r]of n){let{wrapped:o}=r,l=this[s];o!==!0||this._$AL.has(s)||l===void 0||this.C(s,void 0,r,l)}}let t=!1,e=this._$AL;try{t=this.shouldUpdate(e),t?(this.willUpdate(e),this._$EO?.forEach(n=>n.hostUpdate?.()),this.update(e)):this._$EM()}catch(n){throw t=!1,this._$EM(),n}t&&this._$AE(e)}willUpdate(t){}_$AE(t){this._$EO?.forEach(e=>e.hostUpdated?.()),this.hasUpdated||(this.hasUpdated=!0,this.firstUpdated(t)),this.updated(t)}_$EM(){this._$AL=new Map,this.isUpdatePending=!1}get updateComplete(){return this.getUpdateComplete()}getUpdateComplete(){return this._$ES}shouldUpdate(t){return!0}update(t){this._$Eq&&=this._$Eq.forEach(e=>this._$ET(e,this[e])),this._$EM()}updated(t){}firstUpdated(t){}};v.elementStyles=[],v.shadowRootOptions={mode:"open"},v[L("elementProperties")]=new Map,v[L("finalized")]=new Map,_e?.({ReactiveElement:v}),(W.reactiveElementVersions??=[]).push("2.1.2");var dt=globalThis,Pt=i=>i,F=dt.trustedTypes,Nt=F?F.createPolicy("lit-html",{createHTML:i=>i}):void 0,zt="$lit$",$=`lit$${Math.random().toFixed(9).slice(2)}$`,Ut="?"+$,ye=`<${Ut}>`,E=document,O=()=>E.createComment(""),z=i=>i===null||typeof i!="object"&&typeof i!="function",ht=Array.isArray,ve=i=>ht(i)||typeof i?.[Symbol.iterator]=="function",st=`[ 	
\f\r]`,D=/<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g,Ht=/-->/g,Mt=/>/g,k=RegExp(`>|${st}(?:([^\\s"'>=/]+)(${st}*=${st}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`,"g"),Lt=/'/g,Dt=/"/g,It=/^(?:script|style|textarea|title)$/i,ut=i=>(t,...e)=>({_$litType$:i,strings:t,values:e}),p=ut(1),V=ut(2),Oe=ut(3),S=Symbol.for("lit-noChange"),d=Symbol.for("lit-nothing"),Ot=new WeakMap,A=E.createTreeWalker(E,129);function jt(i,t){if(!ht(i)||!i.hasOwnProperty("raw"))throw Error("invalid template strings array");return Nt!==void 0?Nt.createHTML(t):t}var be=(i,t)=>{let e=i.length-1,n=[],s,r=t===2?"<svg>":t===3?"<math>":"",o=D;for(let l=0;l<e;l++){let a=i[l],c,h,u=-1,g=0;for(;g<a.length&&(o.lastIndex=g,h=o.exec(a),h!==null);)g=o.lastIndex,o===D?h[1]==="!--"?o=Ht:h[1]!==void 0?o=Mt:h[2]!==void 0?(It.test(h[2])&&(s=RegExp("</"+h[2],"g")),o=k):h[3]!==void 0&&(o=k):o===k?h[0]===">"?(o=s??D,u=-1):h[1]===void 0?u=-2:(u=o.lastIndex-h[2].length,c=h[1],o=h[3]===void 0?k:h[3]==='"'?Dt:Lt):o===Dt||o===Lt?o=k:o===Ht||o===Mt?o=D:(o=k,s=void 0);let m=o===k&&i[l+1].startsWith("/>")?" ":"";r+=o===D?a+ye:u>=0?(n.push(c),a.slice(0,u)+zt+a.slice(u)+$+m):a+$+(u===-2?l:m)}return[jt(i,r+(i[e]||"<?>")+(t===2?"</svg>":t===3?"</math>":"")),n]},U=class i{constructor({strings:t,_$litType$:e},n){let s;this.parts=[];let r=0,o=0,l=t.length-1,a=this.parts,[c,h]=be(t,e);if(this.el=i.createElement(c,n),A.currentNode=this.el.content,e===2||e===3){let u=this.el.content.firstChild;u.replaceWith(...u.childNodes)}for(;(s=A.nextNode())!==null&&a.length<l;){if(s.nodeType===1){if(s.hasAttributes())for(let u of s.getAttributeNames())if(u.endsWith(zt)){let g=h[o++],m=s.getAttribute(u).split($),_=/([.?@])?(.*)/.exec(g);a.push({type:1,index:r,name:_[2],strings:m,ctor:_[1]==="."?ot:_[1]==="?"?at:_[1]==="@"?lt:P}),s.removeAttribute(u)}else u.startsWith($)&&(a.push({type:6,index:r}),s.removeAttribute(u));if(It.test(s.tagName)){let u=s.textContent.split($),g=u.length-1;if(g>0){s.textContent=F?F.emptyScript:"";for(let m=0;m<g;m++)s.append(u[m],O()),A.nextNode(),a.push({type:2,index:++r});s.append(u[g],O())}}}else if(s.nodeType===8)if(s.data===Ut)a.push({type:2,index:r});else{let u=-1;for(;(u=s.data.indexOf($,u+1))!==-1;)a.push({type:7,index:r}),u+=$.length-1}r++}}static createElement(t,e){let n=E.createElement("template");return n.innerHTML=t,n}};function R(i,t,e=i,n){if(t===S)return t;let s=n!==void 0?e._$Co?.[n]:e._$Cl,r=z(t)?void 0:t._$litDirective$;return s?.constructor!==r&&(s?._$AO?.(!1),r===void 0?s=void 0:(s=new r(i),s._$AT(i,e,n)),n!==void 0?(e._$Co??=[])[n]=s:e._$Cl=s),s!==void 0&&(t=R(i,s._$AS(i,t.values),s,n)),t}var rt=class{constructor(t,e){this._$AV=[],this._$AN=void 0,this._$AD=t,this._$AM=e}get parentNode(){return this._$AM.parentNode}get _$AU(){return this._$AM._$AU}u(t){let{el:{content:e},parts:n}=this._$AD,s=(t?.creationScope??E).importNode(e,!0);A.currentNode=s;let r=A.nextNode(),o=0,l=0,a=n[0];for(;a!==void 0;){if(o===a.index){let c;a.type===2?c=new I(r,r.nextSibling,this,t):a.type===1?c=new a.ctor(r,a.name,a.strings,this,t):a.type===6&&(c=new ct(r,this,t)),this._$AV.push(c),a=n[++l]}o!==a?.index&&(r=A.nextNode(),o++)}return A.currentNode=E,s}p(t){let e=0;for(let n of this._$AV)n!==void 0&&(n.strings!==void 0?(n._$AI(t,n,e),e+=n.strings.length-2):n._$AI(t[e])),e++}},I=class i{get _$AU(){return this._$AM?._$AU??this._$Cv}constructor(t,e,n,s){this.type=2,this._$AH=d,this._$AN=void 0,this._$AA=t,this._$AB=e,this._$AM=n,this.options=s,this._$Cv=s?.isConnected??!0}get parentNode(){let t=this._$AA.parentNode,e=this._$AM;return e!==void 0&&t?.nodeType===11&&(t=e.parentNode),t}get startNode(){return this._$AA}get endNode(){return this._$AB}_$AI(t,e=this){t=R(this,t,e),z(t)?t===d||t==null||t===""?(this._$AH!==d&&this._$AR(),this._$AH=d):t!==this._$AH&&t!==S&&this._(t):t._$litType$!==void 0?this.$(t):t.nodeType!==void 0?this.T(t):ve(t)?this.k(t):this._(t)}O(t){return this._$AA.parentNode.insertBefore(t,this._$AB)}T(t){this._$AH!==t&&(this._$AR(),this._$AH=this.O(t))}_(t){this._$AH!==d&&z(this._$AH)?this._$AA.nextSibling.data=t:this.T(E.createTextNode(t)),this._$AH=t}$(t){let{values:e,_$litType$:n}=t,s=typeof n=="number"?this._$AC(t):(n.el===void 0&&(n.el=U.createElement(jt(n.h,n.h[0]),this.options)),n);if(this._$AH?._$AD===s)this._$AH.p(e);else{let r=new rt(s,this),o=r.u(this.options);r.p(e),this.T(o),this._$AH=r}}_$AC(t){let e=Ot.get(t.strings);return e===void 0&&Ot.set(t.strings,e=new U(t)),e}k(t){ht(this._$AH)||(this._$AH=[],this._$AR());let e=this._$AH,n,s=0;for(let r of t)s===e.length?e.push(n=new i(this.O(O()),this.O(O()),this,this.options)):n=e[s],n._$AI(r),s++;s<e.length&&(this._$AR(n&&n._$AB.nextSibling,s),e.length=s)}_$AR(t=this._$AA.nextSibling,e){for(this._$AP?.(!1,!0,e);t!==this._$AB;){let n=Pt(t).nextSibling;Pt(t).remove(),t=n}}setConnected(t){this._$AM===void 0&&(this._$Cv=t,this._$AP?.(t))}},P=class{get tagName(){return this.element.tagName}get _$AU(){return this._$AM._$AU}constructor(t,e,n,s,r){this.type=1,this._$AH=d,this._$AN=void 0,this.element=t,this.name=e,this._$AM=s,this.options=r,n.length>2||n[0]!==""||n[1]!==""?(this._$AH=Array(n.length-1).fill(new String),this.strings=n):this._$AH=d}_$AI(t,e=this,n,s){let r=this.strings,o=!1;if(r===void 0)t=R(this,t,e,0),o=!z(t)||t!==this._$AH&&t!==S,o&&(this._$AH=t);else{let l=t,a,c;for(t=r[0],a=0;a<r.length-1;a++)c=R(this,l[n+a],e,a),c===S&&(c=this._$AH[a]),o||=!z(c)||c!==this._$AH[a],c===d?t=d:t!==d&&(t+=(c??"")+r[a+1]),this._$AH[a]=c}o&&!s&&this.j(t)}j(t){t===d?this.element.removeAttribute(this.name):this.element.setAttribute(this.name,t??"")}},ot=class extends P{constructor(){super(...arguments),this.type=3}j(t){this.element[this.name]=t===d?void 0:t}},at=class extends P{constructor(){super(...arguments),this.type=4}j(t){this.element.toggleAttribute(this.name,!!t&&t!==d)}},lt=class extends P{constructor(t,e,n,s,r){super(t,e,n,s,r),this.type=5}_$AI(t,e=this){if((t=R(this,t,e,0)??d)===S)return;let n=this._$AH,s=t===d&&n!==d||t.capture!==n.capture||t.once!==n.once||t.passive!==n.passive,r=t!==d&&(n===d||s);s&&this.element.removeEventListener(this.name,this,n),r&&this.element.addEventListener(this.name,this,t),this._$AH=t}handleEvent(t){typeof this._$AH=="function"?this._$AH.call(this.options?.host??this.element,t):this._$AH.handleEvent(t)}},ct=class{constructor(t,e,n){this.element=t,this.type=6,this._$AN=void 0,this._$AM=e,this.options=n}get _$AU(){return this._$AM._$AU}_$AI(t){R(this,t)}};var $e=dt.litHtmlPolyfillSupport;$e?.(U,I),(dt.litHtmlVersions??=[]).push("3.3.3");var Bt=(i,t,e)=>{let n=e?.renderBefore??t,s=n._$litPart$;if(s===void 0){let r=e?.renderBefore??null;n._$litPart$=s=new I(t.insertBefore(O(),r),r,void 0,e??{})}return s._$AI(i),s};var pt=globalThis,y=class extends v{constructor(){super(...arguments),this.renderOptions={host:this},this._$Do=void 0}createRenderRoot(){let t=super.createRenderRoot();return this.renderOptions.renderBefore??=t.firstChild,t}update(t){let e=this.render();this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),super.update(t),this._$Do=Bt(e,this.renderRoot,this.renderOptions)}connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}render(){return S}};y._$litElement$=!0,y.finalized=!0,pt.litElementHydrateSupport?.({LitElement:y});var xe=pt.litElementPolyfillSupport;xe?.({LitElement:y});(pt.litElementVersions??=[]).push("4.2.2");var Kt={card_name:"Magnesium & Sleep",card_description:"Tonight's magnesium, last night's sleep and the trend of your last weeks.",profile_not_found:"Profile not found. Pick a Magnesium & Sleep entity in the card's settings.",no_entity:"Pick a Magnesium & Sleep entity in the card's settings.",tonight:"Tonight",dose_taken:"Taken",dose_not_taken:"Not taken yet",of_target:"{mg} of {target}",above_limit:"Today's {mg} is above the {limit} upper limit for supplements. That limit is set to avoid an upset stomach; one day over it is rarely a problem. If it happens often, talk to your doctor or pharmacist.",took_it:"Took it",logging:"Logging\u2026",logged:"Logged {servings}: {mg}",serving:"1 serving",undo:"Undo",undone:"Removed again",failed:"That did not work: {error}",last_night:"Last night",no_night:"No night yet",score:"Sleep score",duration:"Sleep",latency:"Time to fall asleep",bedtime:"Bedtime",wake_time:"Wake time",component_duration:"Duration",component_efficiency:"Efficiency",component_latency:"Falling asleep",component_waso:"Time awake",component_awakenings:"Awakenings",component_regularity:"Regularity",points:"{points} pts",points_of:"{points} of {max}",effect_title:"Does magnesium change your sleep?",effect_headline:"{outcome}: {effect} {unit}",effect_interval:"95 % interval {low} to {high}",effect_no_difference:"no difference",effect_stars:"{stars} of 5 stars: how much your nights tell, not how big the effect is",effect_evidence:"About the evidence",experiment_title:"Experiment",experiment_take:"Tonight: take your magnesium",experiment_skip:"Tonight: no magnesium",experiment_night:"Night {night} of {nights}, until the night of {last}",experiment_washout:"A wash-out night: it does not count in the result.",trend:"Last {days} nights",trend_legend_mg:"Magnesium (mg)",trend_legend_score:"Sleep score",trend_hint:"Tap a night to see its values.",trend_empty:"No nights in this period yet.",night_values:"{night}: {mg}, score {score}",unknown:"\u2014",next_wind_down:"Next wind-down",option_entity:"Profile (any of its entities)",option_days:"Nights in the trend",option_show:"Parts to show",part_tonight:"Tonight",part_took_it:"\u201CTook it\u201D button",part_last_night:"Last night",part_trend:"Trend",part_effect:"Effect of magnesium",part_experiment:"Experiment: tonight's plan",part_wind_down:"Next wind-down"},we={card_name:"Magnesium & Slaap",card_description:"Het magnesium van vanavond, de slaap van afgelopen nacht en het verloop van de laatste weken.",profile_not_found:"Profiel niet gevonden. Kies een entiteit van Magnesium & Slaap in de instellingen van de kaart.",no_entity:"Kies een entiteit van Magnesium & Slaap in de instellingen van de kaart.",tonight:"Vanavond",dose_taken:"Al ingenomen",dose_not_taken:"Nog niet ingenomen",of_target:"{mg} van {target}",above_limit:"De {mg} van vandaag ligt boven de bovengrens van {limit} voor supplementen. Die grens is er om maagklachten te voorkomen; \xE9\xE9n dag erboven is zelden een probleem. Gebeurt het vaak, overleg dan met je arts of apotheker.",took_it:"Ingenomen",logging:"Bezig\u2026",logged:"Geregistreerd {servings}: {mg}",serving:"1 portie",undo:"Ongedaan maken",undone:"Weer verwijderd",failed:"Dat lukte niet: {error}",last_night:"Afgelopen nacht",no_night:"Nog geen nacht",score:"Slaapscore",duration:"Slaap",latency:"Tijd om in slaap te vallen",bedtime:"Bedtijd",wake_time:"Wektijd",component_duration:"Duur",component_efficiency:"Effici\xEBntie",component_latency:"In slaap vallen",component_waso:"Tijd wakker",component_awakenings:"Keren wakker",component_regularity:"Regelmaat",points:"{points} ptn",points_of:"{points} van {max}",effect_title:"Verandert magnesium je slaap?",effect_headline:"{outcome}: {effect} {unit}",effect_interval:"95%-interval {low} tot {high}",effect_no_difference:"geen verschil",effect_stars:"{stars} van 5 sterren: hoeveel je nachten zeggen, niet hoe groot het effect is",effect_evidence:"Over het bewijs",experiment_title:"Experiment",experiment_take:"Vanavond: neem je magnesium",experiment_skip:"Vanavond: geen magnesium",experiment_night:"Nacht {night} van {nights}, tot en met de nacht van {last}",experiment_washout:"Een uitwasnacht: die telt niet mee in de uitkomst.",trend:"Laatste {days} nachten",trend_legend_mg:"Magnesium (mg)",trend_legend_score:"Slaapscore",trend_hint:"Tik op een nacht voor de waarden.",trend_empty:"Nog geen nachten in deze periode.",night_values:"{night}: {mg}, score {score}",unknown:"\u2014",next_wind_down:"Volgende wind-down",option_entity:"Profiel (een van de entiteiten)",option_days:"Nachten in het verloop",option_show:"Te tonen onderdelen",part_tonight:"Vanavond",part_took_it:"Knop \u201CIngenomen\u201D",part_last_night:"Afgelopen nacht",part_trend:"Verloop",part_effect:"Effect van magnesium",part_experiment:"Experiment: plan voor vanavond",part_wind_down:"Volgende wind-down"},Wt={en:Kt,nl:we};function x(i,t,e={}){return(Wt[i.split("-")[0].toLowerCase()]??Kt)[t].replace(/\{(\w+)\}/g,(s,r)=>r in e?String(e[r]):s)}function Ft(i,t){return x(i,t).split(/\{(\w+)\}/)}var Ye=Object.keys(Wt);var f="magnesium_sleep";function Vt(i,t,e){let n=i[e],s=n?.platform===f&&n.device_id?t[n.device_id]:void 0,r=s?.primary_config_entry??s?.config_entries[0];if(s===void 0||r===void 0)return null;let o={};for(let l of Object.values(i))l?.device_id===s.id&&l.platform===f&&l.translation_key&&(o[`${l.entity_id.split(".")[0]}.${l.translation_key}`]=l.entity_id);return{entryId:r,deviceId:s.id,entities:o}}function Gt(i){return Object.values(i).filter(t=>t?.platform===f&&t.translation_key==="magnesium_today").map(t=>t.entity_id).sort()[0]}var b=["tonight","took_it","last_night","trend","effect","experiment","wind_down"];var j=14,Z="magnesium-sleep-card-editor";function ke(i){return{schema:[{name:"entity",required:!0,selector:{entity:{filter:{integration:f}}}},{name:"days",selector:{number:{min:3,max:90,mode:"box"}}},{name:"show",selector:{select:{multiple:!0,mode:"list",options:b.map(t=>({value:t,label:x(i,`part_${t}`)}))}}}],computeLabel:t=>x(i,`option_${t.name}`)}}function Ae(i){return{...i,days:i.days??j,show:i.show??[...b]}}function Ee(i){let{show:t,days:e,...n}=i,s=b.filter(r=>t?.includes(r));return{...n,...e===void 0||e===j?{}:{days:e},...t===void 0||s.length===b.length?{}:{show:s}}}var G=class extends y{static{this.properties={hass:{attribute:!1},_config:{state:!0}}}setConfig(t){this._config=t}connectedCallback(){super.connectedCallback(),customElements.get("ha-form")||Se().then(()=>this.requestUpdate())}render(){if(!this.hass||!this._config||!customElements.get("ha-form"))return d;let t=ke(this.hass.locale.language);return p`<ha-form
      .hass=${this.hass}
      .data=${Ae(this._config)}
      .schema=${t.schema}
      .computeLabel=${t.computeLabel}
      @value-changed=${this._changed}
    ></ha-form>`}_changed(t){t.stopPropagation();let e=Ee(t.detail.value);this._config=e,this.dispatchEvent(new CustomEvent("config-changed",{detail:{config:e},bubbles:!0,composed:!0}))}};async function Se(){await(await(await window.loadCardHelpers?.())?.createCardElement({type:"entities",entities:[]}))?.constructor.getConfigElement?.(),await customElements.whenDefined("ha-form")}var Y=i=>typeof i=="number"&&Number.isFinite(i)?i:null,Zt=i=>Y(i)??0;function qt(i,t,e){if(typeof e.outcome!="string"||typeof e.summary!="string")return null;let n=Number(i);return{outcome:e.outcome,unit:typeof t=="string"?t:"",effect:i.trim()!==""&&Number.isFinite(n)?n:null,ciLow:Y(e.ci_low),ciHigh:Y(e.ci_high),nightsWith:Zt(e.nights_with),nightsWithout:Zt(e.nights_without),stars:Y(e.stars),randomised:e.randomised===!0,summaryKey:typeof e.summary_key=="string"?e.summary_key:"",summary:e.summary}}function gt(i){return i.effect!==null&&i.ciLow!==null&&i.ciHigh!==null}var Te={points:"unit_points",min:"unit_minutes","%":"unit_percent_points"},Yt=i=>`component.${f}.exceptions.${i}.message`;function ft(i,t,e){return i?.(Yt(t))||e}function _t(i,t){return ft(t,`outcome_${i.outcome}`,i.outcome)}function yt(i,t){return ft(t,Te[i.unit]??"",i.unit)}function Jt(i,t,e){if(!t||!i.summaryKey)return i.summary;let n={nights:i.nightsWith+i.nightsWithout,nights_with:i.nightsWith,nights_without:i.nightsWithout,outcome:_t(i,t),unit:yt(i,t)};if(gt(i)){let s=i.summaryKey.startsWith("unclear")?i.effect:Math.abs(i.effect);n.effect=mt(s,e),n.ci_low=mt(i.ciLow,e),n.ci_high=mt(i.ciHigh,e)}return t(Yt(`effect_${i.summaryKey}`),n)||i.summary}function Xt(i){return ft(i,"evidence_note","")}function mt(i,t){return new Intl.NumberFormat(t,{minimumFractionDigits:1,maximumFractionDigits:1,signDisplay:"negative"}).format(i)}function J(i,t){return new Intl.NumberFormat(t,{minimumFractionDigits:1,maximumFractionDigits:1,signDisplay:"exceptZero"}).format(i)}function Qt(i,t,e){let n=Math.max(Math.abs(t),Math.abs(e),Math.abs(i),1e-9)*1.15,s=r=>50+50*r/n;return{zero:50,low:s(t),high:s(e),point:s(i)}}var q=i=>Date.parse(`${i}T00:00:00Z`)/864e5;function te(i,t,e){let{first_night:n,last_night:s}=t;if(i!=="take"&&i!=="skip"||typeof n!="string"||typeof s!="string")return null;let r=q(e)-q(n)+1,o=q(s)-q(n)+1;return r>=1&&r<=o?{take:i==="take",washout:t.washout===!0,night:r,nights:o,lastNight:s}:null}var ee=new Set(["unknown","unavailable","","none"]);function ne(i){switch(i.number_format){case"comma_decimal":return"en-US";case"decimal_comma":return"de";case"space_comma":return"fr";case"system":return;default:return i.language}}function X(i){if(i===void 0||ee.has(i.state))return null;let t=Number(i.state);return Number.isFinite(t)?t:null}function w(i){return i!==void 0&&!ee.has(i.state)}function T(i,t,e=0){return new Intl.NumberFormat(t,{maximumFractionDigits:e}).format(i)}function C(i,t){return`${T(i,t)} mg`}function vt(i,t){let e=Math.round(i),n=Math.floor(e/60),s=e%60,r=(o,l)=>new Intl.NumberFormat(t,{style:"unit",unit:l,unitDisplay:"short"}).format(o);return n===0?r(s,"minute"):s===0?r(n,"hour"):`${r(n,"hour")} ${r(s,"minute")}`}function bt(i){let t=X(i);if(t===null||i===void 0)return null;let e={s:1/60,min:1,h:60,d:1440};return t*(e[String(i.attributes.unit_of_measurement??"min")]??1)}function $t(i,t,e){let n=t.time_format==="12"?!0:t.time_format==="24"?!1:void 0;return new Intl.DateTimeFormat(t.language,{hour:"numeric",minute:"2-digit",hour12:n,timeZone:e}).format(new Date(i))}function N(i,t){return new Intl.DateTimeFormat(t,{weekday:"short",day:"numeric",month:"short",timeZone:"UTC"}).format(new Date(`${i}T00:00:00Z`))}function ie(i,t){return t===null||t<=0?0:Math.min(1,Math.max(0,i/t))}function Ce(i,t){let e=Date.parse(`${i}T00:00:00Z`);return Array.from({length:t},(n,s)=>new Date(e-(t-1-s)*864e5).toISOString().slice(0,10))}function se(i,t,e,n=null){let s=new Map(i.map(r=>[r.night,r]));return Ce(t,e).map(r=>{let o=s.get(r)??null,l=o?.magnesium_mg??(r===t?n:null);return{night:r,mg:l,score:o?.score??null,row:o}})}var H=i=>Math.round(i*10)/10;function re(i,t,e,n){let s=i.length===0?t:t/i.length,r=Math.max(n??0,...i.map(c=>c.mg??0),1),o=[],l=[],a="";return i.forEach((c,h)=>{if(c.mg!==null&&c.mg>0){let kt=c.mg/r*e;o.push({index:h,x:H(h*s+s*.2),y:H(e-kt),width:H(s*.6),height:H(kt)})}if(c.score===null)return;let u=H(h*s+s/2),g=H(e-c.score/100*e),m=i[h-1]?.score??null,_=i[h+1]?.score??null;a+=`${m===null?"M":"L"}${u} ${g}`,m===null&&_===null&&l.push({x:u,y:g})}),{slot:s,bars:o,scorePath:a,dots:l,mgMax:r}}var Q="magnesium-sleep-card",oe=1e4,ae=300,xt=90,Re=["duration","efficiency","latency","waso","awakenings","regularity"],wt=class extends y{constructor(){super();this._backendLanguage="";this._profile=null;this._shown=[];this._trendKey="";this._action={kind:"idle"}}static{this.properties={_config:{state:!0},_nights:{state:!0},_selected:{state:!0},_action:{state:!0},_backend:{state:!0}}}static getConfigElement(){return document.createElement(Z)}static getStubConfig(e){return{entity:Gt(e.entities)??""}}setConfig(e){if(typeof e.entity!="string")throw new Error("entity: give an entity of a Magnesium & Sleep profile");if(e.days!==void 0&&!(Number.isInteger(e.days)&&e.days>=1&&e.days<=365))throw new Error("days: a whole number from 1 to 365");if(e.show!==void 0&&!(Array.isArray(e.show)&&e.show.every(n=>b.includes(n))))throw new Error(`show: a list of ${b.join(", ")}`);this._config=e,this._trendKey=""}set hass(e){this._hass=e,this._loadBackendTranslations(e);let n=this._config?Vt(e.entities,e.devices,this._config.entity):null,s=[e.locale,e.themes?.darkMode,e.services[f]?.get_nights!==void 0,n?.entryId,...Object.values(n?.entities??{}).map(r=>e.states[r])];(s.length!==this._shown.length||s.some((r,o)=>r!==this._shown[o]))&&(this._shown=s,this._profile=n,this.requestUpdate())}get hass(){return this._hass}_loadBackendTranslations(e){let n=e.locale.language??e.language;n===this._backendLanguage||e.loadBackendTranslation===void 0||(this._backendLanguage=n,e.loadBackendTranslation("exceptions",f).then(s=>{this._backendLanguage===n&&(this._backend=s)}).catch(()=>{this._backend=void 0}))}getCardSize(){return 2+this._parts().size*2}getGridOptions(){return{columns:12,min_columns:6,min_rows:3}}disconnectedCallback(){super.disconnectedCallback(),clearTimeout(this._undoTimer)}_parts(){return new Set(this._config?.show??b)}get _language(){return this._hass?.locale.language??this._hass?.language??"en"}_t(e,n){return x(this._language,e,n)}_state(e){let n=this._profile?.entities[e];return n===void 0?void 0:this._hass?.states[n]}get _numbers(){return this._hass?ne(this._hass.locale):void 0}_loaded(){return w(this._state("sensor.magnesium_today"))}updated(e){super.updated(e),this._refreshTrend()}_refreshTrend(){let e=this._hass,n=this._state("sensor.magnesium_today");if(!e||!this._profile||!this._parts().has("trend")||!w(n))return;if(e.services[f]?.get_nights===void 0){this._nights=void 0;return}let s=String(n.attributes.day??""),r=this._config?.days??j,o=[this._profile.entryId,s,r,n.last_updated,this._state("sensor.sleep_score")?.last_updated].join("|");if(o===this._trendKey||!s)return;this._trendKey=o;let l=new Date(Date.parse(`${s}T00:00:00Z`)-(r-1)*864e5).toISOString().slice(0,10);this._call("get_nights",{start:l,end:s}).then(a=>{this._trendKey===o&&(this._nights=a.nights)}).catch(()=>{this._trendKey="",this._nights=void 0})}async _call(e,n){return(await this._hass.callWS({type:"call_service",domain:f,service:e,service_data:{config_entry_id:this._profile.entryId,...n},return_response:!0})).response}async _tookIt(){this._action={kind:"busy"},clearTimeout(this._undoTimer);try{let e=await this._call("log_dose",{servings:1});this._action={kind:"logged",dose:e},this._undoTimer=setTimeout(()=>{this._action={kind:"idle"}},oe)}catch(e){this._action={kind:"failed",error:e.message??String(e)}}}async _undo(e){clearTimeout(this._undoTimer),this._action={kind:"busy"};try{await this._call("remove_dose",{dose_id:e}),this._action={kind:"undone"},this._undoTimer=setTimeout(()=>{this._action={kind:"idle"}},oe/2)}catch(n){this._action={kind:"failed",error:n.message??String(n)}}}render(){if(!this._config||!this._hass)return p``;if(!this._config.entity)return p`<ha-card><div class="message">${this._t("no_entity")}</div></ha-card>`;if(!this._profile||!this._loaded())return p`<ha-card><div class="message not-found">${this._t("profile_not_found")}</div></ha-card>`;let e=this._parts(),n=this._hass.devices[this._profile.deviceId];return p`<ha-card>
      <div class="title">${n?.name_by_user||n?.name||this._t("card_name")}</div>
      ${e.has("tonight")?this._renderTonight():d}
      ${e.has("experiment")?this._renderExperiment():d}
      ${e.has("took_it")?this._renderTookIt():d}
      ${e.has("last_night")?this._renderLastNight():d}
      ${e.has("trend")?this._renderTrend():d}
      ${e.has("effect")?this._renderEffect():d}
      ${e.has("wind_down")?this._renderWindDown():d}
    </ha-card>`}_renderTonight(){let e=this._state("sensor.magnesium_today"),n=X(e)??0,s=typeof e?.attributes.target_mg=="number"?e.attributes.target_mg:null,r=e?.attributes.upper_limit_mg,o=this._state("binary_sensor.dose_taken_today")?.state==="on",l=this._state("binary_sensor.above_upper_limit")?.state==="on",a=this._numbers,c=ie(n,s);return p`<section class="tonight">
      <div class="row">
        <h2>${this._t("tonight")}</h2>
        <span class="status ${o?"taken":""}">${this._t(o?"dose_taken":"dose_not_taken")}</span>
      </div>
      <div class="amount">
        ${Ft(this._language,"of_target").map((h,u)=>u%2===0?h:h==="mg"?p`<span class="mg">${C(n,a)}</span>`:p`<span class="target">${s===null?this._t("unknown"):C(s,a)}</span>`)}
      </div>
      <div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${Math.round(c*100)}>
        <div class="fill ${l?"over":""}" style="width: ${c*100}%"></div>
      </div>
      ${l&&typeof r=="number"?p`<p class="limit">${this._t("above_limit",{mg:C(n,a),limit:C(r,a)})}</p>`:d}
    </section>`}_renderTookIt(){let e=this._action,n=d;return e.kind==="logged"?n=p`<span class="feedback"
          >${this._t("logged",{servings:this._t("serving"),mg:C(e.dose.elemental_mg,this._numbers)})}</span
        >
        <button class="undo" @click=${()=>this._undo(e.dose.dose_id)}>${this._t("undo")}</button>`:e.kind==="undone"?n=p`<span class="feedback">${this._t("undone")}</span>`:e.kind==="failed"&&(n=p`<span class="feedback error">${this._t("failed",{error:e.error})}</span>`),p`<section class="took-it">
      <button class="primary took-it-button" ?disabled=${e.kind==="busy"} @click=${this._tookIt}>
        ${e.kind==="busy"?this._t("logging"):this._t("took_it")}
      </button>
      <div class="action-feedback" aria-live="polite">${n}</div>
    </section>`}_renderLastNight(){let e=this._hass,n=this._state("sensor.sleep_score"),s=[],r=this._state("sensor.sleep_duration"),o=bt(r);o!==null&&s.push(["duration",e.formatEntityState?e.formatEntityState(r):vt(o,this._numbers)]);let l=this._state("sensor.sleep_latency"),a=bt(l);a!==null&&s.push(["latency",e.formatEntityState?e.formatEntityState(l):vt(a,this._numbers)]);let c=e.locale.time_zone==="local"?Intl.DateTimeFormat().resolvedOptions().timeZone:e.config.time_zone;for(let m of["bedtime","wake_time"]){let _=this._state(`sensor.${m}`);w(_)&&s.push([m,$t(_.state,e.locale,c)])}if(!w(n)&&s.length===0)return p`<section class="last-night">
        <h2>${this._t("last_night")}</h2>
        <p class="no-night">${this._t("no_night")}</p>
      </section>`;let h=n?.attributes.components??{},u=n?.attributes.max_points??{},g=n?.attributes.night;return p`<section class="last-night">
      <div class="row">
        <h2>${this._t("last_night")}</h2>
        ${typeof g=="string"?p`<span class="secondary">${N(g,e.locale.language)}</span>`:d}
      </div>
      <div class="night">
        ${w(n)?p`<div class="score-box">
              <span class="score">${T(Number(n.state),this._numbers)}</span>
              <span class="secondary">${this._t("score")}</span>
            </div>`:d}
        <dl class="facts">
          ${s.map(([m,_])=>p`<div><dt>${this._t(m)}</dt><dd class=${m}>${_}</dd></div>`)}
        </dl>
      </div>
      ${Object.keys(h).length?p`<ul class="components">
            ${Re.filter(m=>m in h).map(m=>p`<li>
                <span>${this._t(`component_${m}`)}</span>
                <span class="secondary"
                  >${m in u?this._t("points_of",{points:T(h[m],this._numbers,1),max:T(u[m],this._numbers)}):this._t("points",{points:T(h[m],this._numbers,1)})}</span
                >
              </li>`)}
          </ul>`:d}
    </section>`}_renderTrend(){let e=this._state("sensor.magnesium_today");if(this._nights===void 0||!w(e))return d;let n=this._config?.days??j,s=typeof e.attributes.target_mg=="number"?e.attributes.target_mg:null,r=se(this._nights,String(e.attributes.day),n,X(e)),o=re(r,ae,xt,s),l=this._hass.locale.language,a=this._selected===void 0?void 0:r[this._selected];return p`<section class="trend">
      <div class="row">
        <h2>${this._t("trend",{days:n})}</h2>
        <span class="legend"
          ><i class="key mg"></i>${this._t("trend_legend_mg")} <i class="key score-key"></i>${this._t("trend_legend_score")}</span
        >
      </div>
      <svg viewBox="0 0 ${ae} ${xt}" preserveAspectRatio="none" role="img" aria-label=${this._t("trend",{days:n})}>
        ${o.bars.map(c=>V`<rect class="bar-mg ${c.index===this._selected?"selected":""}" x=${c.x} y=${c.y} width=${c.width} height=${c.height}></rect>`)}
        <path class="line-score" d=${o.scorePath}></path>
        ${o.dots.map(c=>V`<circle class="dot-score" cx=${c.x} cy=${c.y} r="2"></circle>`)}
        ${r.map((c,h)=>V`<rect class="slot" x=${h*o.slot} y="0" width=${o.slot} height=${xt} @click=${()=>{this._selected=h}}></rect>`)}
      </svg>
      <div class="axis secondary">
        <span>${N(r[0].night,l)}</span><span>${N(r[r.length-1].night,l)}</span>
      </div>
      <p class="secondary selected-night">${a?this._nightText(a):this._t("trend_hint")}</p>
    </section>`}_nightText(e){return this._t("night_values",{night:N(e.night,this._hass.locale.language),mg:e.mg===null?this._t("unknown"):C(e.mg,this._numbers),score:e.score===null?this._t("unknown"):T(e.score,this._numbers)})}_renderEffect(){let e=this._state("sensor.magnesium_effect"),n=e&&e.state!=="unavailable"?qt(e.state,e.attributes.unit_of_measurement,e.attributes):null;if(n===null)return d;let s=this._numbers,r=this._backend,o=Xt(r),l=d;if(gt(n)){let c=Qt(n.effect,n.ciLow,n.ciHigh),h=this._t("effect_headline",{outcome:Pe(_t(n,r),this._language),effect:J(n.effect,s),unit:yt(n,r)}),u=this._t("effect_interval",{low:J(n.ciLow,s),high:J(n.ciHigh,s)});l=p`<div class="effect-headline">${h}</div>
        <div class="interval" role="img" aria-label=${u}>
          <div class="interval-zero" style="left: ${c.zero}%"></div>
          <div class="interval-range" style="left: ${c.low}%; width: ${c.high-c.low}%"></div>
          <div class="interval-point" style="left: ${c.point}%"></div>
        </div>
        <div class="interval-labels secondary">
          <span class="interval-text">${u}</span><span>0 = ${this._t("effect_no_difference")}</span>
        </div>`}let a=n.stars;return p`<section class="effect">
      <div class="row">
        <h2>${this._t("effect_title")}</h2>
        ${a===null?d:p`<span class="stars" role="img" title=${this._t("effect_stars",{stars:a})} aria-label=${this._t("effect_stars",{stars:a})}
              >${"\u2605".repeat(a)}<span class="stars-off">${"\u2605".repeat(Math.max(0,5-a))}</span></span
            >`}
      </div>
      ${l}
      <p class="effect-sentence">${Jt(n,r,s)}</p>
      ${o?p`<details class="secondary"><summary>${this._t("effect_evidence")}</summary>${o}</details>`:d}
    </section>`}_renderExperiment(){let e=this._state("sensor.tonight_plan"),n=this._state("sensor.magnesium_today"),s=e&&n?te(e.state,e.attributes,String(n.attributes.day??"")):null;return s===null?d:p`<section class="experiment ${s.take?"take":"skip"}">
      <div class="row">
        <h2>${this._t("experiment_title")}</h2>
        <span class="secondary"
          >${this._t("experiment_night",{night:s.night,nights:s.nights,last:N(s.lastNight,this._hass.locale.language)})}</span
        >
      </div>
      <div class="plan">${this._t(s.take?"experiment_take":"experiment_skip")}</div>
      ${s.washout?p`<p class="secondary washout">${this._t("experiment_washout")}</p>`:d}
    </section>`}_renderWindDown(){let e=this._state("sensor.next_wind_down");if(!w(e))return d;let n=this._hass,s=n.locale.time_zone==="local"?Intl.DateTimeFormat().resolvedOptions().timeZone:n.config.time_zone;return p`<section class="wind-down row">
      <h2>${this._t("next_wind_down")}</h2>
      <span class="wind-down-time">${$t(e.state,n.locale,s)}</span>
    </section>`}static{this.styles=et`
    :host {
      display: block;
    }
    ha-card {
      padding: 16px;
      display: flex;
      flex-direction: column;
      gap: 16px;
      overflow: hidden;
      box-sizing: border-box;
    }
    .title {
      font-size: var(--ha-font-size-l, 20px);
      font-weight: var(--ha-font-weight-medium, 500);
      color: var(--primary-text-color);
    }
    h2 {
      margin: 0;
      font-size: var(--ha-font-size-m, 14px);
      font-weight: var(--ha-font-weight-medium, 500);
      color: var(--primary-text-color);
    }
    section {
      display: flex;
      flex-direction: column;
      gap: 8px;
      min-width: 0;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      justify-content: space-between;
      align-items: baseline;
      gap: 4px 12px;
    }
    .secondary,
    .status {
      color: var(--secondary-text-color);
      font-size: var(--ha-font-size-s, 12px);
    }
    .status.taken {
      color: var(--success-color, #43a047);
      font-weight: var(--ha-font-weight-medium, 500);
    }
    .amount {
      color: var(--primary-text-color);
    }
    .amount .mg {
      font-size: var(--ha-font-size-xl, 24px);
      font-weight: var(--ha-font-weight-medium, 500);
    }
    .bar {
      height: 8px;
      border-radius: 4px;
      background: var(--divider-color, rgba(127, 127, 127, 0.3));
      overflow: hidden;
    }
    .fill {
      height: 100%;
      background: var(--primary-color);
      border-radius: 4px;
      transition: width 0.3s ease;
    }
    .fill.over {
      background: var(--warning-color, #ffa600);
    }
    .limit {
      margin: 0;
      padding: 8px 12px;
      border-radius: 8px;
      font-size: var(--ha-font-size-s, 12px);
      color: var(--primary-text-color);
      background: rgba(var(--rgb-warning-color, 255, 166, 0), 0.12);
    }
    .message {
      color: var(--secondary-text-color);
    }
    .took-it {
      flex-direction: row;
      flex-wrap: wrap;
      align-items: center;
    }
    .action-feedback {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
      min-width: 0;
      color: var(--primary-text-color);
    }
    .error {
      color: var(--error-color, #db4437);
    }
    button {
      font: inherit;
      cursor: pointer;
      border-radius: 18px;
      min-height: 36px;
      padding: 0 16px;
      border: 1px solid var(--primary-color);
      background: none;
      color: var(--primary-color);
    }
    button.primary {
      background: var(--primary-color);
      color: var(--text-primary-color, #fff);
    }
    button:disabled {
      opacity: 0.6;
      cursor: default;
    }
    .night {
      display: flex;
      flex-wrap: wrap;
      gap: 12px 24px;
      align-items: center;
    }
    .score-box {
      display: flex;
      flex-direction: column;
      align-items: center;
    }
    .score {
      font-size: 36px;
      line-height: 1;
      font-weight: var(--ha-font-weight-medium, 500);
      color: var(--primary-text-color);
    }
    .facts {
      margin: 0;
      display: grid;
      grid-template-columns: repeat(2, minmax(0, 1fr));
      gap: 4px 16px;
      flex: 1;
      min-width: 180px;
    }
    dt {
      color: var(--secondary-text-color);
      font-size: var(--ha-font-size-s, 12px);
    }
    dd {
      margin: 0;
      color: var(--primary-text-color);
    }
    .components {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(140px, 1fr));
      gap: 2px 16px;
      color: var(--primary-text-color);
      font-size: var(--ha-font-size-s, 12px);
    }
    .components li {
      display: flex;
      justify-content: space-between;
      gap: 8px;
    }
    svg {
      width: 100%;
      height: 96px;
      display: block;
    }
    .bar-mg {
      fill: var(--primary-color);
      opacity: 0.45;
    }
    .bar-mg.selected {
      opacity: 0.9;
    }
    .line-score {
      fill: none;
      stroke: var(--accent-color, #ff9800);
      stroke-width: 2;
      vector-effect: non-scaling-stroke;
    }
    .dot-score {
      fill: var(--accent-color, #ff9800);
    }
    .slot {
      fill: transparent;
      cursor: pointer;
    }
    .axis {
      display: flex;
      justify-content: space-between;
    }
    .selected-night {
      margin: 0;
    }
    .legend {
      color: var(--secondary-text-color);
      font-size: var(--ha-font-size-s, 12px);
    }
    .key {
      display: inline-block;
      width: 10px;
      height: 10px;
      margin: 0 4px 0 8px;
      border-radius: 2px;
      vertical-align: middle;
    }
    .key.mg {
      background: var(--primary-color);
      opacity: 0.45;
    }
    .key.score-key {
      height: 2px;
      background: var(--accent-color, #ff9800);
    }
    .effect-headline,
    .plan {
      color: var(--primary-text-color);
      font-size: var(--ha-font-size-l, 16px);
      font-weight: var(--ha-font-weight-medium, 500);
    }
    .interval {
      position: relative;
      height: 16px;
    }
    .interval::before {
      content: "";
      position: absolute;
      left: 0;
      right: 0;
      top: 7px;
      height: 2px;
      background: var(--divider-color, rgba(127, 127, 127, 0.3));
    }
    .interval-zero {
      position: absolute;
      top: 0;
      width: 2px;
      height: 16px;
      margin-left: -1px;
      background: var(--secondary-text-color);
    }
    .interval-range {
      position: absolute;
      top: 4px;
      height: 8px;
      border-radius: 4px;
      background: var(--primary-color);
      opacity: 0.45;
    }
    .interval-point {
      position: absolute;
      top: 2px;
      width: 12px;
      height: 12px;
      margin-left: -6px;
      border-radius: 50%;
      background: var(--primary-color);
    }
    .interval-labels {
      display: flex;
      flex-wrap: wrap;
      justify-content: space-between;
      gap: 0 12px;
    }
    .effect-sentence,
    .washout {
      margin: 0;
      color: var(--primary-text-color);
    }
    .washout {
      color: var(--secondary-text-color);
    }
    .stars {
      color: var(--warning-color, #ffa600);
      letter-spacing: 2px;
    }
    .stars-off {
      color: var(--divider-color, rgba(127, 127, 127, 0.3));
    }
    details summary {
      cursor: pointer;
    }
    .experiment {
      padding: 12px;
      border-radius: 12px;
      background: rgba(var(--rgb-primary-color, 3, 169, 244), 0.08);
    }
    .wind-down-time {
      color: var(--primary-text-color);
      font-weight: var(--ha-font-weight-medium, 500);
    }
  `}};function Pe(i,t){return i.charAt(0).toLocaleUpperCase(t)+i.slice(1)}function Ne(){customElements.get(Q)||customElements.define(Q,wt),customElements.get(Z)||customElements.define(Z,G)}function ce(){customElements.get("home-assistant")?Ne():setTimeout(ce,50)}ce();var le=document.documentElement.lang||navigator.language;window.customCards=window.customCards??[];window.customCards.some(i=>i.type===Q)||window.customCards.push({type:Q,name:x(le,"card_name"),description:x(le,"card_description"),preview:!0,documentationURL:"https://github.com/magnesium-sleep/magnesium_sleep#dashboard-card"});export{wt as MagnesiumSleepCard};
/*! Bundled license information:

@lit/reactive-element/css-tag.js:
  (**
   * @license
   * Copyright 2019 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

@lit/reactive-element/reactive-element.js:
lit-html/lit-html.js:
lit-element/lit-element.js:
  (**
   * @license
   * Copyright 2017 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

lit-html/is-server.js:
  (**
   * @license
   * Copyright 2022 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)
*/
